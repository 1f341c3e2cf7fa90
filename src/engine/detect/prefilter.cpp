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
constexpr std::size_t at(char c) noexcept { return static_cast<unsigned char>(c); }

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

bool listed(std::span<const std::string_view> table, std::string_view run) noexcept {
  std::uint32_t h = kHashStart;
  for (const char c : run) h = hash_step(h, kClasses.lower[at(c)]);
  return probe(table, run, h);
}

// One pass per run hashes it as it goes; only a run with a digit, '_' or '$' is walked again.
bool has_word(std::span<const std::string_view> words, std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    if (!kClasses.word[at(s[i])]) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    std::uint32_t h = kHashStart;
    bool letters = true;
    for (; i < s.size() && kClasses.word[at(s[i])]; ++i) {
      h = hash_step(h, kClasses.lower[at(s[i])]);
      letters = letters && kClasses.alpha[at(s[i])];
    }
    const std::string_view run = s.substr(start, i - start);
    if (probe(words, run, h)) return true;
    if (letters) continue;
    // Letter runs inside it: "1union", "pg_sleep", "x$or" read as words by more lenient tokenizers.
    for (std::size_t k = 0; k < run.size();) {
      if (!text::is_alpha(run[k])) {
        ++k;
        continue;
      }
      const std::size_t from = k;
      while (k < run.size() && text::is_alpha(run[k])) ++k;
      if (listed(words, run.substr(from, k - from))) return true;
    }
  }
  return false;
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
  return !p.words.empty() && has_word(p.words, s);
}

}  // namespace

bool admits_content(const Prefilter& p, const PrefilterInput& value) noexcept {
  return has_content(p, value.bytes, value.raw) ||
         (value.decoded.data() != value.raw.data() && has_content(p, value.bytes, value.decoded));
}

}  // namespace waf::engine
