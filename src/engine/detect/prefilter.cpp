#include "engine/detect/prefilter.hpp"

#include <array>
#include <cstdint>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

// Per byte: whether it belongs to a word run (letters, digits, '_' and '$'), whether it is a
// letter, and its lower case. Tables, because the word scan reads every byte of most values.
struct ByteClasses {
  std::array<bool, 256> word{};
  std::array<bool, 256> alpha{};
  std::array<char, 256> lower{};
};
constexpr ByteClasses make_byte_classes() {
  ByteClasses t;
  for (unsigned b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    t.word[b] = text::is_word(c) || c == '$';
    t.alpha[b] = text::is_alpha(c);
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

// Whether `run`, whose lower-case word_hash() is `hash`, is in the table.
bool probe(std::span<const std::string_view> table, std::string_view run, std::uint32_t hash) noexcept {
  if (run.size() < 2 || run.size() > kMaxWord) return false;
  const std::size_t mask = table.size() - 1;
  for (std::size_t at = hash & mask; !table[at].empty(); at = (at + 1) & mask) {
    if (table[at].size() == run.size() && text::iequals(table[at], run)) return true;
  }
  return false;
}

// Whether `word` is in the table, hashing it first.
bool listed(std::span<const std::string_view> table, std::string_view word) noexcept {
  std::uint32_t h = kHashStart;
  for (const char c : word) h = hash_step(h, kClasses.lower[index(c)]);
  return probe(table, word, h);
}

// One pass hashes each run and, alongside, each run of letters within it ("1union" holds
// "union", "pg_sleep" holds "sleep", "x$or" holds "or": words to more lenient tokenizers).
bool has_word(std::span<const std::string_view> words, std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    if (!kClasses.word[index(s[i])]) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    std::uint32_t h = kHashStart;
    std::size_t letters_from = i;  // start of the current letter run
    std::uint32_t letters_hash = kHashStart;
    for (; i < s.size() && kClasses.word[index(s[i])]; ++i) {
      const char lower = kClasses.lower[index(s[i])];
      h = hash_step(h, lower);
      if (kClasses.alpha[index(s[i])]) {
        letters_hash = hash_step(letters_hash, lower);
        continue;
      }
      if (i > letters_from && probe(words, s.substr(letters_from, i - letters_from), letters_hash)) return true;
      letters_from = i + 1;
      letters_hash = kHashStart;
    }
    // The last letter run, unless it is the whole run (probed just below).
    if (letters_from > start && i > letters_from &&
        probe(words, s.substr(letters_from, i - letters_from), letters_hash))
      return true;
    if (probe(words, s.substr(start, i - start), h)) return true;
  }
  return false;
}

bool leads_with_word(std::span<const std::string_view> table, std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size() && (text::is_space(s[i]) || s[i] == '(' || s[i] == '{')) ++i;
  std::size_t end = i;
  while (end < s.size() && !text::is_space(s[end])) ++end;
  std::string_view token = s.substr(i, end - i);
  if (const std::size_t slash = token.rfind('/'); slash != std::string_view::npos) token.remove_prefix(slash + 1);
  std::size_t n = 0;
  while (n < token.size() && text::is_word(token[n])) ++n;
  std::string_view word = token.substr(0, n);
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
  return has_content(p, value.bytes, value.raw) ||
         (value.decoded.data() != value.raw.data() && has_content(p, value.bytes, value.decoded));
}

}  // namespace waf::engine
