#pragma once
// What a value must show for a detector to possibly report it: a cheap test the engine runs before
// Detector::scan(), so that benign values skip the detectors whose grammar they cannot carry.
// Each test states what an attack of the class cannot do without (an injected SQL condition needs
// a quote, an operator, a parenthesis, a comment or a keyword), not what the detector happens to
// look at today, so it stays valid while a detector learns new payloads. When in doubt a byte
// or a word belongs in the set: a needless scan costs time, a missing one costs a detection.
// A registry entry without a prefilter is scanned on every value.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "engine/decode/byte_set.hpp"
#include "engine/decode/registry.hpp"
#include "engine/value.hpp"

namespace waf::engine {

struct Prefilter {
  KindMask kinds = ~KindMask{0};  // locations the detector looks at; other values never reach it
  KindMask every_value = 0;       // locations where every value is scanned, whatever its content
  ByteSet bytes;                  // a value (raw or decoded) containing any of these is scanned
  std::span<const std::string_view> needles;  // or containing one of these (non-empty, lower case, no '%' or '+'; any case)
  // Or containing one of these (lower case) as a word: a run of letters, digits, '_' and '$', or
  // a run of letters within it ("1union" holds "union", "pg_sleep" holds "sleep"). Built by
  // make_word_table() from a list, so that a word costs one hash and one comparison.
  std::span<const std::string_view> words;
  // Or opening with one of these (a table like `words`) as a command line does: after blanks and
  // '(' or '{', the last component of a path ("/usr/bin/id"), cut at the first byte no word has
  // ("python3.10", "apt-get"), also without a trailing number ("gcc10"). One lookup per value,
  // where `words` costs one per word.
  std::span<const std::string_view> leading_words;
  // With no bytes, needles or words, every value of `kinds` is scanned.
  constexpr bool content_free() const noexcept {
    return bytes.empty() && needles.empty() && words.empty() && leading_words.empty();
  }
};

// FNV-1a over the lower-case word: the hash of Prefilter::words.
constexpr std::uint32_t word_hash(std::string_view lower) noexcept {
  std::uint32_t h = 2166136261U;
  for (const char c : lower) h = (h ^ static_cast<unsigned char>(c)) * 16777619U;
  return h;
}

// An open-addressing table of `words` (lower case, fewer than Slots / 2, Slots a power of two):
// slot word_hash(w) % Slots, or the next free one after it.
template <std::size_t Slots>
constexpr std::array<std::string_view, Slots> make_word_table(std::span<const std::string_view> words) {
  static_assert((Slots & (Slots - 1)) == 0, "Slots must be a power of two");
  std::array<std::string_view, Slots> table{};
  for (const std::string_view w : words) {
    std::size_t at = word_hash(w) & (Slots - 1);
    while (!table[at].empty()) at = (at + 1) & (Slots - 1);
    table[at] = w;
  }
  return table;
}

// The value's raw and decoded views, and the bytes of both together (without the '%' and '+' of
// an encoding that the decoded view already resolved).
struct PrefilterInput {
  LocationKind kind;
  std::string_view raw, decoded;
  const ByteSet& bytes;
};

// The needles and words of `prefilter` in either view (the part of admits() that reads the text).
bool admits_content(const Prefilter& prefilter, const PrefilterInput& value) noexcept;

// Inline: the engine asks every prefilter about every value, and most answers come from the
// location kind and the byte set alone.
inline bool admits(const Prefilter& p, const PrefilterInput& value) noexcept {
  const KindMask bit = kind_bit(value.kind);
  if ((p.kinds & bit) == 0) return false;
  if ((p.every_value & bit) != 0 || p.content_free() || p.bytes.intersects(value.bytes)) return true;
  return (!p.needles.empty() || !p.words.empty()) && admits_content(p, value);
}

// ASCII control bytes (below ' ') and every non-ASCII byte: what encodings, look-alikes and line
// tricks are made of, so most prefilters admit them.
constexpr ByteSet control_and_non_ascii() noexcept {
  ByteSet s;
  s.add_range(0x00, 0x1F);
  s.add_range(0x7F, 0xFF);
  return s;
}

// Building blocks of the registry's prefilters, each stating what a class cannot do without.
// Control and non-ASCII bytes are in every byte set: encodings and look-alikes that a detector may
// read through.
constexpr Prefilter any_of(std::string_view bytes, std::span<const std::string_view> needles = {}) {
  Prefilter p;
  p.bytes = control_and_non_ascii();
  p.bytes.add(bytes);
  p.needles = needles;
  return p;
}
constexpr Prefilter only(KindMask kinds) {
  Prefilter p;
  p.kinds = kinds;
  return p;
}
constexpr Prefilter with_every_value(Prefilter p, KindMask kinds) {
  p.every_value = kinds;
  return p;
}
constexpr Prefilter with_words(Prefilter p, std::span<const std::string_view> word_table) {
  p.words = word_table;
  return p;
}
constexpr Prefilter with_leading_words(Prefilter p, std::span<const std::string_view> word_table) {
  p.leading_words = word_table;
  return p;
}

}  // namespace waf::engine
