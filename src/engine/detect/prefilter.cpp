#include "engine/detect/prefilter.hpp"

#include <cstdint>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

bool is_word_byte(char c) noexcept { return text::is_word(c) || c == '$'; }

// Longer runs cannot be any listed word.
constexpr std::size_t kMaxWord = 40;

// word_hash() of the lower-case run, folded while hashing: no copy of the run.
bool listed(std::span<const std::string_view> table, std::string_view run) noexcept {
  if (run.size() < 2 || run.size() > kMaxWord) return false;
  std::uint32_t h = 2166136261U;
  for (const char c : run) h = (h ^ static_cast<unsigned char>(text::lower(c))) * 16777619U;
  const std::size_t mask = table.size() - 1;
  for (std::size_t at = h & mask; !table[at].empty(); at = (at + 1) & mask) {
    if (table[at].size() == run.size() && text::iequals(table[at], run)) return true;
  }
  return false;
}

bool has_word(std::span<const std::string_view> words, std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    if (!is_word_byte(s[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < s.size() && is_word_byte(s[i])) ++i;
    const std::string_view run = s.substr(start, i - start);
    if (listed(words, run)) return true;
    // Letter runs inside it: "1union", "pg_sleep", "x$or" read as words by more lenient tokenizers.
    for (std::size_t k = 0; k < run.size();) {
      if (!text::is_alpha(run[k])) {
        ++k;
        continue;
      }
      const std::size_t from = k;
      while (k < run.size() && text::is_alpha(run[k])) ++k;
      if (k - from < run.size() && listed(words, run.substr(from, k - from))) return true;
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
