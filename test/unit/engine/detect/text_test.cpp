// The detectors' fast search helpers must answer exactly as the plain searches they replace:
// compared here on many generated texts, since a difference would change a verdict.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/detect/text.hpp"

namespace {

using namespace waf::engine;
constexpr auto npos = std::string_view::npos;

// A small alphabet with both cases, punctuation and a blank, so that near-misses are frequent.
std::string random_text(std::uint32_t& state, std::size_t size) {
  static constexpr std::string_view kAlphabet = "abcsSpPuU(:-_ Xx'\"rlR.";
  std::string s;
  for (std::size_t i = 0; i < size; ++i) {
    state = state * 1664525U + 1013904223U;
    s += kAlphabet[(state >> 16) % kAlphabet.size()];
  }
  return s;
}

TEST_CASE("ifind_rare finds what ifind finds") {
  const std::vector<std::string_view> needles = {"script", "url(", ":expression(", "cmd", "s", "(", "__proto__",
                                                 "a-b", "Xs", "sP", "p(s", "xx'", "\"r", "r.l", "uu", "-"};
  std::uint32_t state = 7;
  // Short texts take ifind()'s own path; every other one is long enough for the rare-byte search.
  for (std::size_t round = 0; round < 2000; ++round) {
    const std::string hay = random_text(state, round % 40 + (round % 2 == 1 ? 260 : 0));
    for (const auto needle : needles) {
      for (std::size_t from = 0; from <= hay.size() + 1; from += 1 + hay.size() / 16)
        CHECK(text::ifind_rare(hay, needle, from) == text::ifind(hay, needle, from));
    }
  }
  const std::string padding(300, ' ');
  CHECK(text::ifind_rare(padding + "JavaScript: url( x", "url(") == padding.size() + 12);
  CHECK(text::ifind_rare(padding + "XP_CMDSHELL", "cmd") == padding.size() + 3);
  CHECK(text::ifind_rare(padding + "XP_CMDSHELL", "cmd", padding.size() + 4) == std::string_view::npos);
  CHECK(text::ifind_rare("abc", "") == 0);
}

TEST_CASE("EitherFinder walks the positions find_any walks") {
  std::uint32_t state = 11;
  for (std::size_t round = 0; round < 2000; ++round) {
    const std::string s = random_text(state, round % 50);
    text::EitherFinder finder(s, '(', '.');
    std::size_t expected = text::find_any(s, "(.");
    std::size_t got = finder.next(0);
    CHECK(got == expected);
    while (expected != npos) {
      expected = text::find_any(s, "(.", expected + 1);
      got = finder.next(got + 1);
      CHECK(got == expected);
    }
  }
}

TEST_CASE("find_any over a compile-time table finds what find_any over the same literal finds") {
  static constexpr text::ByteTable kSet("(.'\"\xff");
  std::uint32_t state = 13;
  for (std::size_t round = 0; round < 2000; ++round) {
    std::string s = random_text(state, round % 50);
    if (round % 7 == 0) s += '\xff';
    for (std::size_t from = 0; from <= s.size() + 1; ++from)
      CHECK(text::find_any(s, kSet, from) == text::find_any(s, "(.'\"\xff", from));
  }
  CHECK(text::find_any("", kSet) == npos);
  CHECK(text::find_any("ab\xff", kSet) == 2);
}

TEST_CASE("bytes_of: the engine's set when the value carries one, else the decoded view's bytes") {
  const Value bare{"%27", "'", "query.q", LocationKind::query_value};
  CHECK(text::bytes_of(bare).contains('\''));
  CHECK(!text::bytes_of(bare).contains('%'));
  const ByteSet wider("'%27");
  const Value carried{"%27", "'", "query.q", LocationKind::query_value, &wider};
  CHECK(text::bytes_of(carried).contains('%'));
  CHECK(text::bytes_of(carried).contains('\''));
}

}  // namespace
