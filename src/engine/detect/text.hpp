#pragma once
// Small, allocation-free text helpers shared by the detectors: ASCII case folding (the grammars we
// recognise are case-insensitive ASCII), word boundaries and building a Finding with bounded evidence.
#include <array>
#include <cstddef>
#include <string_view>

#include "engine/decode/byte_set.hpp"
#include "engine/finding.hpp"
#include "engine/value.hpp"

namespace waf::engine::text {

constexpr char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_word(char c) noexcept { return is_alpha(c) || is_digit(c) || c == '_'; }
constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

constexpr bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// find_first_of for detectors: a table lookup per byte, where libstdc++'s find_first_of runs a
// memchr over the set for every byte of `s` (measured as a third of a detector's time on 1 KB).
inline std::size_t find_any(std::string_view s, std::string_view set, std::size_t from = 0) noexcept {
  std::array<bool, 256> in_set{};
  for (const char c : set) in_set[static_cast<unsigned char>(c)] = true;
  for (std::size_t i = from; i < s.size(); ++i) {
    if (in_set[static_cast<unsigned char>(s[i])]) return i;
  }
  return std::string_view::npos;
}

// A set of bytes fixed at compile time, for find_any() over a literal set: the table the other
// find_any() fills on every call is filled once, by the compiler.
class ByteTable {
 public:
  consteval explicit ByteTable(std::string_view set) noexcept {
    for (const char c : set) in_set_[static_cast<unsigned char>(c)] = true;
  }
  constexpr bool contains(char c) const noexcept { return in_set_[static_cast<unsigned char>(c)]; }

 private:
  std::array<bool, 256> in_set_{};
};

inline std::size_t find_any(std::string_view s, const ByteTable& set, std::size_t from = 0) noexcept {
  for (std::size_t i = from; i < s.size(); ++i) {
    if (set.contains(s[i])) return i;
  }
  return std::string_view::npos;
}

// The positions of either of two bytes, in order, for a search that resumes after each hit: two
// memchr-based finds that each continue where they stopped, where find_any walks every byte
// between hits through a table it builds on every call.
class EitherFinder {
 public:
  EitherFinder(std::string_view s, char a, char b) noexcept
      : s_(s), a_(a), b_(b), next_a_(s.find(a)), next_b_(s.find(b)) {}
  // The first position at or after `from` holding either byte (npos: none); `from` never decreases.
  std::size_t next(std::size_t from) noexcept {
    if (next_a_ != std::string_view::npos && next_a_ < from) next_a_ = s_.find(a_, from);
    if (next_b_ != std::string_view::npos && next_b_ < from) next_b_ = s_.find(b_, from);
    return next_a_ < next_b_ ? next_a_ : next_b_;
  }

 private:
  std::string_view s_;
  char a_, b_;
  std::size_t next_a_, next_b_;
};

// Case-insensitive search for an ASCII needle (given in lower case); npos when absent. Candidate
// positions come from memchr-based finds of the first letter in both cases, so benign text that
// lacks the first letter costs almost nothing.
inline std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) noexcept {
  constexpr auto npos = std::string_view::npos;
  if (needle.empty()) return from <= hay.size() ? from : npos;
  if (hay.size() < needle.size() || from > hay.size() - needle.size()) return npos;
  const char lo = needle[0];
  const char up = (lo >= 'a' && lo <= 'z') ? static_cast<char>(lo - 32) : lo;
  std::size_t next_lo = hay.find(lo, from);
  std::size_t next_up = up == lo ? npos : hay.find(up, from);
  while (true) {
    const std::size_t i = next_lo < next_up ? next_lo : next_up;
    if (i == npos || i + needle.size() > hay.size()) return npos;
    std::size_t j = 1;
    while (j < needle.size() && lower(hay[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return i;
    if (i == next_lo) next_lo = hay.find(lo, i + 1);
    else next_up = hay.find(up, i + 1);
  }
}

// How often a byte occurs in ordinary text, 1 (punctuation) to 9 (the blank): ifind_rare() searches
// for a needle's least common byte.
constexpr std::array<unsigned char, 256> kCommonness = [] {
  std::array<unsigned char, 256> table{};
  for (auto& c : table) c = 1;
  table[' '] = 9;
  for (const char c : std::string_view(".,-/0123456789")) table[static_cast<unsigned char>(c)] = 4;
  constexpr std::string_view kByFrequency = "etaoinshrdlcumwfgypbvkjxqz";
  for (std::size_t k = 0; k < kByFrequency.size(); ++k) {
    const auto rank = static_cast<unsigned char>(8 - k / 4);
    table[static_cast<unsigned char>(kByFrequency[k])] = rank;
    table[static_cast<unsigned char>(kByFrequency[k] - 32)] = rank;
  }
  return table;
}();

// ifind() with the same results, searching for the needle's least common byte instead of its
// first: "url(" from its '(' and "script" from its 'p', where long prose stops at every 'u' or 's'.
inline std::size_t ifind_rare(std::string_view hay, std::string_view needle, std::size_t from = 0) noexcept {
  constexpr auto npos = std::string_view::npos;
  // In a short text, choosing the byte costs more than the stops it saves: ifind() searches it.
  constexpr std::size_t kShortText = 256;
  if (needle.empty() || from >= hay.size() || hay.size() - from < kShortText) return ifind(hay, needle, from);
  if (hay.size() < needle.size() || from > hay.size() - needle.size()) return npos;
  // (An upper-case byte past the first never matches the lower-cased text, so it is not a key.)
  std::size_t key = 0;
  for (std::size_t j = 1; j < needle.size(); ++j) {
    const char c = needle[j];
    if (!(c >= 'A' && c <= 'Z') &&
        kCommonness[static_cast<unsigned char>(c)] < kCommonness[static_cast<unsigned char>(needle[key])])
      key = j;
  }
  const char lo = needle[key];
  const char up = (lo >= 'a' && lo <= 'z') ? static_cast<char>(lo - 32) : lo;
  std::size_t next_lo = hay.find(lo, from + key);
  std::size_t next_up = up == lo ? npos : hay.find(up, from + key);
  while (true) {
    const std::size_t p = next_lo < next_up ? next_lo : next_up;
    if (p == npos || p - key + needle.size() > hay.size()) return npos;
    const std::size_t i = p - key;
    // The first byte as ifind() takes it: either case of a lower-case letter, anything else as is.
    bool same = hay[i] == needle[0] || lower(hay[i]) == needle[0];
    for (std::size_t j = 1; same && j < needle.size(); ++j) same = lower(hay[i + j]) == needle[j];
    if (same) return i;
    if (p == next_lo) next_lo = hay.find(lo, p + 1);
    else next_up = hay.find(up, p + 1);
  }
}

// True when `needle` (lower case) occurs in `hay` as a whole word (not inside a longer identifier).
inline bool icontains_word(std::string_view hay, std::string_view needle) noexcept {
  for (std::size_t at = ifind(hay, needle); at != std::string_view::npos; at = ifind(hay, needle, at + 1)) {
    const bool left = at == 0 || !is_word(hay[at - 1]);
    const std::size_t end = at + needle.size();
    const bool right = end >= hay.size() || !is_word(hay[end]);
    if (left && right) return true;
  }
  return false;
}

// The bytes of the value's decoded view, or a superset of them: the engine's set when it passed one
// (see Value::bytes), else one pass over the view.
inline ByteSet bytes_of(const Value& value) noexcept {
  return value.bytes != nullptr ? *value.bytes : ByteSet(value.decoded);
}

// Appends a finding whose evidence is text[pos, pos+len), clipped to kMaxEvidenceBytes.
inline void report(Findings& out, AttackClass cls, const Value& value, std::string_view text, std::size_t pos,
                   std::size_t len, int score, std::string_view detail) {
  if (pos > text.size()) pos = text.size();
  if (len > text.size() - pos) len = text.size() - pos;
  if (len > kMaxEvidenceBytes) len = kMaxEvidenceBytes;
  out.push_back(Finding{cls, std::string(value.location), std::string(text.substr(pos, len)), score,
                        std::string(detail)});
}

}  // namespace waf::engine::text
