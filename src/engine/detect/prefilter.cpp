#include "engine/detect/prefilter.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <stdexcept>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

// Per byte: whether it belongs to a word run (letters, digits, '_' and '$'), whether it is a
// letter, and its lower case. Tables, because the word scan reads every byte of most values.
struct ByteClasses {
  std::array<bool, 256> word{};
  std::array<bool, 256> alpha{};
  std::array<bool, 256> space{};
  std::array<char, 256> lower{};
};
constexpr ByteClasses make_byte_classes() {
  ByteClasses t;
  for (unsigned b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    t.word[b] = text::is_word(c) || c == '$';
    t.alpha[b] = text::is_alpha(c);
    t.space[b] = text::is_space(c);
    t.lower[b] = text::lower(c);
  }
  return t;
}
constexpr ByteClasses kClasses = make_byte_classes();
constexpr std::size_t index(char c) noexcept { return static_cast<unsigned char>(c); }

constexpr std::uint32_t kHashStart = 2166136261U;  // word_hash()'s FNV-1a, one byte at a time
constexpr std::uint32_t hash_step(std::uint32_t h, char lower) noexcept {
  return (h ^ static_cast<unsigned char>(lower)) * 16777619U;
}

// Longer runs cannot be any listed word.
constexpr std::size_t kMaxWord = 40;

bool word_sized(std::string_view run) noexcept { return run.size() >= 2 && run.size() <= kMaxWord; }

// The lower-case word_hash() of `run`.
std::uint32_t run_hash(std::string_view run) noexcept {
  std::uint32_t h = kHashStart;
  for (const char c : run) h = hash_step(h, kClasses.lower[index(c)]);
  return h;
}

// Whether `run`, whose lower-case word_hash() is `hash`, is in the table.
bool probe(std::span<const std::string_view> table, std::string_view run, std::uint32_t hash) noexcept {
  if (!word_sized(run)) return false;
  const std::size_t mask = table.size() - 1;
  for (std::size_t at = hash & mask; !table[at].empty(); at = (at + 1) & mask) {
    if (table[at].size() == run.size() && text::iequals(table[at], run)) return true;
  }
  return false;
}

// Whether `word` is in the table, hashing it first.
bool listed(std::span<const std::string_view> table, std::string_view word) noexcept {
  return probe(table, word, run_hash(word));
}

// Calls found(run, lower-case word_hash) for each word run of `s` and, alongside, each run of
// letters within it ("1union" holds "union", "pg_sleep" holds "sleep", "x$or" holds "or": words
// to more lenient tokenizers), in one pass; stops when found() returns true. Runs that cannot be
// a listed word are skipped; a letter run is hashed only when it is not the whole run, which is rare.
template <typename Found>
void for_each_word(std::string_view s, Found found) noexcept {
  const auto found_letters = [&found](std::string_view run) { return word_sized(run) && found(run, run_hash(run)); };
  std::size_t i = 0;
  while (i < s.size()) {
    if (!kClasses.word[index(s[i])]) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    std::uint32_t h = kHashStart;
    std::size_t letters_from = i;  // start of the current letter run
    for (; i < s.size() && kClasses.word[index(s[i])]; ++i) {
      h = hash_step(h, kClasses.lower[index(s[i])]);
      if (kClasses.alpha[index(s[i])]) continue;
      if (i > letters_from && found_letters(s.substr(letters_from, i - letters_from))) return;
      letters_from = i + 1;
    }
    // The last letter run, unless it is the whole run (found just below).
    if (letters_from > start && i > letters_from && found_letters(s.substr(letters_from, i - letters_from))) return;
    const std::string_view run = s.substr(start, i - start);
    if (word_sized(run) && found(run, h)) return;
  }
}

bool has_word(std::span<const std::string_view> words, std::string_view s) noexcept {
  bool hit = false;
  for_each_word(s, [&](std::string_view run, std::uint32_t hash) { return hit = probe(words, run, hash); });
  return hit;
}

bool leads_with_word(std::span<const std::string_view> table, std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size() && (kClasses.space[index(s[i])] || s[i] == '(' || s[i] == '{')) ++i;
  // The first token's last path component: what follows its last '/'.
  std::size_t from = i;
  std::size_t end = i;
  for (; end < s.size() && !kClasses.space[index(s[end])]; ++end) {
    if (s[end] == '/') from = end + 1;
  }
  std::size_t n = 0;
  while (from + n < end && text::is_word(s[from + n])) ++n;
  std::string_view word = s.substr(from, n);
  if (listed(table, word)) return true;
  while (!word.empty() && text::is_digit(word.back())) word.remove_suffix(1);
  return word.size() < n && listed(table, word);
}

// A needle can only occur when the value has each of its letters in some case: a test on the
// value's byte set that spares most searches.
bool may_contain(const ByteSet& bytes, std::string_view needle) noexcept {
  for (const char c : needle) {
    const char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    if (!bytes.contains(c) && !bytes.contains(upper)) return false;
  }
  return true;
}

bool has_content(const Prefilter& p, const ByteSet& bytes, std::string_view s) noexcept {
  for (const std::string_view n : p.needles) {
    if (may_contain(bytes, n) && text::ifind(s, n) != std::string_view::npos) return true;
  }
  return (!p.words.empty() && has_word(p.words, s)) || (!p.leading_words.empty() && leads_with_word(p.leading_words, s));
}

}  // namespace

bool admits_content(const Prefilter& p, const PrefilterInput& value) noexcept {
  return has_content(p, value.bytes, value.decoded);
}

PrefilterIndex::PrefilterIndex(std::span<const Prefilter* const> prefilters) : any_(true) {
  if (prefilters.size() > kMaxPrefilters) throw std::length_error("PrefilterIndex: more than 32 prefilters");
  std::vector<Listed> words;
  // The same text in several prefilters is one entry with several owners.
  const auto list = [](std::vector<Listed>& entries, std::string_view text, Mask bit) {
    const auto same = std::find_if(entries.begin(), entries.end(), [text](const Listed& e) { return e.text == text; });
    if (same != entries.end()) same->owners |= bit;
    else entries.push_back({text, bit});
  };
  for (std::size_t i = 0; i < prefilters.size(); ++i) {
    const Mask bit = Mask{1} << i;
    const Prefilter* p = prefilters[i];
    for (std::size_t k = 0; k < kLocationKinds; ++k) {
      const KindMask kind = KindMask{1} << k;
      if (p != nullptr && (p->kinds & kind) == 0) continue;
      seeing_[k] |= bit;
      if (p == nullptr || (p->every_value & kind) != 0 || p->content_free()) admitting_[k] |= bit;
    }
    if (p == nullptr || p->content_free()) continue;
    if (!p->bytes.empty()) byte_tests_.push_back({p->bytes, bit});
    for (const std::string_view n : p->needles) {
      list(needles_, n, bit);
      needle_owners_ |= bit;
    }
    for (const std::string_view w : p->words) {
      if (w.empty()) continue;  // a free slot of the prefilter's own table
      list(words, w, bit);
      word_owners_ |= bit;
    }
    if (!p->leading_words.empty()) leading_.push_back({p->leading_words, bit});
  }
  if (needles_.size() > 64) throw std::length_error("PrefilterIndex: more than 64 needles");
  for (const Listed& n : needles_) {
    ByteSet bytes;
    for (const char c : n.text) {
      if (static_cast<unsigned char>(c) > 127) throw std::invalid_argument("PrefilterIndex: a needle is not ASCII");
      const char lower = text::lower(c);
      bytes.add(std::string_view(&lower, 1));
    }
    needle_bytes_.push_back({bytes.word(0), bytes.word(1)});
  }
  std::size_t slots = 2;
  while (slots < 2 * words.size() + 2) slots *= 2;
  word_slots_.assign(slots, Listed{});
  for (const Listed& w : words) {
    std::size_t at = word_hash(w.text) & (slots - 1);
    while (!word_slots_[at].text.empty()) at = (at + 1) & (slots - 1);
    word_slots_[at] = w;
  }
}

PrefilterIndex::Mask PrefilterIndex::needles_in(const PrefilterInput& value, Mask open) const noexcept {
  const ByteSet folded = value.bytes.case_folded();
  // Without a branch: whether a value has a needle's bytes is a coin toss the predictor loses.
  const std::uint64_t low = folded.word(0);
  const std::uint64_t high = folded.word(1);
  std::uint64_t possible = 0;
  for (std::size_t i = 0; i < needle_bytes_.size(); ++i) {
    const NeedleBytes& n = needle_bytes_[i];
    possible |= std::uint64_t{((n.low & ~low) | (n.high & ~high)) == 0} << i;
  }
  Mask in = 0;
  for (; possible != 0; possible &= possible - 1) {
    const Listed& n = needles_[static_cast<std::size_t>(std::countr_zero(possible))];
    if ((n.owners & open & ~in) != 0 && text::ifind(value.decoded, n.text) != std::string_view::npos) in |= n.owners;
  }
  return in;
}

PrefilterIndex::Mask PrefilterIndex::words_in(std::string_view s, Mask open) const noexcept {
  const Mask wanted = open & word_owners_;
  const std::size_t mask = word_slots_.size() - 1;
  Mask in = 0;
  for_each_word(s, [&](std::string_view run, std::uint32_t hash) {
    if (!word_sized(run)) return false;
    for (std::size_t at = hash & mask; !word_slots_[at].text.empty(); at = (at + 1) & mask) {
      const Listed& w = word_slots_[at];
      if (w.text.size() == run.size() && text::iequals(w.text, run)) {
        in |= w.owners;
        break;
      }
    }
    return (in & wanted) == wanted;
  });
  return in;
}

PrefilterIndex::Mask PrefilterIndex::admitted(const PrefilterInput& value) const noexcept {
  if (!any_) return ~Mask{0};
  const auto kind = static_cast<std::size_t>(value.kind);
  Mask in = admitting_[kind];
  Mask open = seeing_[kind] & ~in;
  for (const ByteTest& t : byte_tests_) {
    if ((open & t.bit) != 0 && t.bytes.intersects(value.bytes)) in |= t.bit;
  }
  open &= ~in;
  if ((open & needle_owners_) != 0) {
    in |= needles_in(value, open);
    open &= ~in;
  }
  if ((open & word_owners_) != 0) {
    in |= words_in(value.decoded, open);
    open &= ~in;
  }
  for (const LeadingWords& l : leading_) {
    if ((open & l.bit) != 0 &&
        leads_with_word(l.table, value.decoded))
      in |= l.bit;
  }
  return in;
}

}  // namespace waf::engine
