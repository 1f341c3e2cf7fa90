#pragma once
// The set of byte values present in a string, built in one pass. The decode chain uses it to skip
// every decoder whose trigger bytes ('%', '&', '\\', ...) are absent, which is almost all of them
// for almost all values, and the engine's prefilter to recognise plain values.
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace waf::engine {

class ByteSet {
 public:
  constexpr ByteSet() = default;
  constexpr explicit ByteSet(std::string_view bytes) noexcept : bits_(words_of(bytes)) {}

  constexpr void add(std::string_view bytes) noexcept {
    const Words words = words_of(bytes);
    for (std::size_t w = 0; w < bits_.size(); ++w) bits_[w] |= words[w];
  }
  constexpr void add(const ByteSet& other) noexcept {
    for (std::size_t w = 0; w < bits_.size(); ++w) bits_[w] |= other.bits_[w];
  }
  constexpr void remove(const ByteSet& other) noexcept {
    for (std::size_t w = 0; w < bits_.size(); ++w) bits_[w] &= ~other.bits_[w];
  }
  constexpr void add_range(unsigned char first, unsigned char last) noexcept {
    for (unsigned b = first; b <= last; ++b) bits_[b >> 6] |= std::uint64_t{1} << (b & 63);
  }
  constexpr bool contains(char c) const noexcept {
    const auto b = static_cast<unsigned char>(c);
    return ((bits_[b >> 6] >> (b & 63)) & 1) != 0;
  }
  constexpr bool intersects(const ByteSet& other) const noexcept {
    return ((bits_[0] & other.bits_[0]) | (bits_[1] & other.bits_[1]) | (bits_[2] & other.bits_[2]) |
            (bits_[3] & other.bits_[3])) != 0;
  }
  constexpr bool subset_of(const ByteSet& other) const noexcept {
    return ((bits_[0] & ~other.bits_[0]) | (bits_[1] & ~other.bits_[1]) | (bits_[2] & ~other.bits_[2]) |
            (bits_[3] & ~other.bits_[3])) == 0;
  }
  constexpr bool empty() const noexcept { return (bits_[0] | bits_[1] | bits_[2] | bits_[3]) == 0; }
  // These bytes and the lower case of each upper-case ASCII letter among them ('A'..'Z' are bits
  // 1..26 of the second word, 'a'..'z' bits 33..58).
  constexpr ByteSet case_folded() const noexcept {
    ByteSet folded = *this;
    folded.bits_[1] |= (bits_[1] & (std::uint64_t{0x3FFFFFF} << 1)) << 32;
    return folded;
  }

  // Bytes 64 * i to 64 * i + 63, byte b at bit b % 64: for detectors that fold several tests
  // into a few word operations.
  constexpr std::uint64_t word(std::size_t i) const noexcept { return bits_[i]; }

 private:
  using Words = std::array<std::uint64_t, 4>;

  // The four words are built in registers and written once. An OR into the word in memory per
  // byte chains each byte's store to the next one's load, and the 16-byte copy that callers make
  // of a set just built then waits on four 8-byte stores: together the hottest lines of a GET's
  // inspection under perf, though callgrind's instruction counts favour them.
  static constexpr Words words_of(std::string_view bytes) noexcept {
    if (bytes.size() >= kTableFrom && !std::is_constant_evaluated()) return table_words_of(bytes);
    // ASCII text, the common case, only has words 0 and 1, chosen by bit 6 of the byte with a mask:
    // a branch (which is what the compiler makes of a select or a switch) mispredicts on text that
    // alternates letters with blanks, digits and punctuation.
    std::uint64_t w0 = 0, w1 = 0, seen = 0;
    for (const char c : bytes) {
      const auto b = static_cast<unsigned char>(c);
      const std::uint64_t bit = std::uint64_t{1} << (b & 63);
      const std::uint64_t odd = 0 - static_cast<std::uint64_t>((b >> 6) & 1);
      w0 |= bit & ~odd;
      w1 |= bit & odd;
      seen |= b;
    }
    if ((seen & 0x80) == 0) return {w0, w1, 0, 0};
    Words words{};  // a byte above 127 was folded into the wrong word: count again, exactly
    for (const char c : bytes) {
      const auto b = static_cast<unsigned char>(c);
      words[b >> 6] |= std::uint64_t{1} << (b & 63);
    }
    return words;
  }

  // Long strings: independent stores into a table, folded once, beat a read-modify-write chain
  // on four words (measured 3x on 2 KB values, which the decode chain rescans after each change).
  // Four stores per iteration: the loop's own test and jump were half of its instructions.
  static Words table_words_of(std::string_view bytes) noexcept {
    std::array<std::uint8_t, 256> seen{};
    const std::size_t quads = bytes.size() / 4 * 4;
    for (std::size_t i = 0; i < quads; i += 4) {
      seen[static_cast<unsigned char>(bytes[i])] = 1;
      seen[static_cast<unsigned char>(bytes[i + 1])] = 1;
      seen[static_cast<unsigned char>(bytes[i + 2])] = 1;
      seen[static_cast<unsigned char>(bytes[i + 3])] = 1;
    }
    for (std::size_t i = quads; i < bytes.size(); ++i) seen[static_cast<unsigned char>(bytes[i])] = 1;
    // Eight flags at a time: each byte of `eight` is 0 or 1, and the multiplication moves byte k's
    // bit to bit 56 + k (no two partial products meet, so nothing carries).
    static_assert(std::endian::native == std::endian::little, "the load puts its first flag in its low byte");
    Words words{};
    for (unsigned word = 0; word < 4; ++word) {
      std::uint64_t folded = 0;
      for (unsigned k = 0; k < 8; ++k) {
        std::uint64_t eight;
        std::memcpy(&eight, seen.data() + 64 * word + 8 * k, sizeof eight);
        folded |= ((eight * 0x0102040810204080) >> 56) << (8 * k);
      }
      words[word] = folded;
    }
    return words;
  }

  static constexpr std::size_t kTableFrom = 64;
  Words bits_{};
};

}  // namespace waf::engine
