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
#include <vector>

#include "engine/decode/byte_set.hpp"
#include "engine/decode/registry.hpp"
#include "engine/value.hpp"

namespace waf::engine {

struct Prefilter {
  KindMask kinds = ~KindMask{0};  // locations the detector looks at; other values never reach it
  KindMask every_value = 0;       // locations where every value is scanned, whatever its content
  ByteSet bytes;                  // a value (raw or decoded) containing any of these is scanned
  // Or whose decoded view contains one of these (two bytes or more, lower case, no '%' or '+'; any case). Needles,
  // words and leading words are looked for in the decoded view only: decoding turns an escape
  // into the byte it stands for, so what the raw view spells is there too, unless it is made of
  // an escape's hex digits ("%2Cor" reads "Cor"). (Equal to the raw view when nothing decoded.)
  std::span<const std::string_view> needles;
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

// The needles and words of `prefilter` in the decoded view (the part of admits() that reads the text).
bool admits_content(const Prefilter& prefilter, const PrefilterInput& value) noexcept;

// One prefilter's answer, as the index below gives it for all of them together.
inline bool admits(const Prefilter& p, const PrefilterInput& value) noexcept {
  const KindMask bit = kind_bit(value.kind);
  if ((p.kinds & bit) == 0) return false;
  if ((p.every_value & bit) != 0 || p.content_free() || p.bytes.intersects(value.bytes)) return true;
  return admits_content(p, value);
}

// The prefilters of a policy answered together, which is how the engine asks them: one pass per
// view finds the words and needles of every prefilter, where asking them one by one reads a
// value once per prefilter (about a third of a benign request's inspection). Bit i of a mask
// stands for prefilters[i]; the answers are admits()'s, bit for bit.
class PrefilterIndex {
 public:
  using Mask = std::uint32_t;
  static constexpr std::size_t kMaxPrefilters = 32;

  // Admits every value to every detector: what a policy without prefilters gets.
  PrefilterIndex() = default;
  // A null prefilter admits every value. At most kMaxPrefilters, and 64 distinct needles in all
  // (std::length_error otherwise).
  explicit PrefilterIndex(std::span<const Prefilter* const> prefilters);

  Mask admitted(const PrefilterInput& value) const noexcept;

 private:
  struct ByteTest {
    ByteSet bytes;
    Mask bit;
  };
  // A needle or a word, and the prefilters that list it.
  struct Listed {
    std::string_view text;
    Mask owners;
  };
  struct LeadingWords {
    std::span<const std::string_view> table;
    Mask bit;
  };

  Mask needles_in(const PrefilterInput& value, Mask open) const noexcept;
  Mask words_in(std::string_view s, Mask open) const noexcept;

  bool any_ = false;  // false: the default index, which admits everything
  std::array<Mask, kLocationKinds> seeing_{};      // prefilters whose kinds hold the kind
  std::array<Mask, kLocationKinds> admitting_{};   // of those, the ones that take every value there
  std::vector<ByteTest> byte_tests_;
  std::vector<Listed> needles_;  // at most 64
  // The bytes of each needle (lower case, ASCII: words 0 and 1 of its ByteSet): only a needle
  // whose every byte the value has (in some case) is searched for, three word operations each.
  struct NeedleBytes {
    std::uint64_t low, high;
  };
  std::vector<NeedleBytes> needle_bytes_;
  Mask needle_owners_ = 0;
  std::vector<Listed> word_slots_;  // open addressing by word_hash(), a power of two, at most half full
  Mask word_owners_ = 0;
  std::vector<LeadingWords> leading_;
};

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
