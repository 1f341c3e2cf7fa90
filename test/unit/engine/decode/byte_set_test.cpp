// ByteSet builds short ASCII strings into two words with masks, other short strings bit by bit,
// and long ones through a table folded eight flags at a time: each must give exactly the bytes
// present, on each side of the switches (the steps make both ASCII-only and mixed strings).
#include <doctest/doctest.h>

#include <string>

#include "engine/decode/byte_set.hpp"

using namespace waf::engine;

TEST_CASE("byte set: every length holds exactly the bytes of the string") {
  for (const std::size_t size : {0UL, 1UL, 5UL, 17UL, 63UL, 64UL, 65UL, 66UL, 67UL, 255UL, 256UL, 1000UL}) {
    for (unsigned step : {1U, 3U, 7U, 64U, 101U}) {
      INFO("size " << size << ", step " << step);
      std::string s;
      bool present[256] = {};
      for (std::size_t i = 0; i < size; ++i) {
        const auto b = static_cast<unsigned char>((i * step + size) & 0xFF);
        s.push_back(static_cast<char>(b));
        present[b] = true;
      }
      const ByteSet set(s);
      bool same = true;
      for (unsigned b = 0; b < 256; ++b) same = same && set.contains(static_cast<char>(b)) == present[b];
      CHECK(same);
      CHECK(set.empty() == s.empty());
    }
  }
}

TEST_CASE("byte set: case folding adds the lower case of upper-case letters only") {
  const ByteSet folded = ByteSet("AZm@[`{").case_folded();
  for (const char c : std::string_view("AZaz@[`{m")) CHECK_MESSAGE(folded.contains(c), c);
  for (const char c : std::string_view("bMy")) CHECK_MESSAGE(!folded.contains(c), c);
}
