// The word part of a prefilter (Prefilter::words) hashes every run of word bytes and every run of
// letters inside it in one pass: a keyword must be found wherever it sits in the run.
#include <doctest/doctest.h>

#include <string_view>

#include "engine/detect/prefilter.hpp"

using namespace waf::engine;

namespace {

constexpr std::string_view kWords[] = {"union", "or", "sleep"};
constexpr auto kTable = make_word_table<8>(kWords);

Prefilter words_only() {
  Prefilter p;
  p.words = kTable;
  return p;
}

bool admitted(std::string_view value) {
  const ByteSet bytes(value);
  return admits(words_only(), PrefilterInput{LocationKind::query_value, value, value, bytes});
}

}  // namespace

TEST_CASE("prefilter words: a listed word as a whole run, or as a letter run at any place inside one") {
  CHECK(admitted("union"));
  CHECK(admitted("UNION all"));
  CHECK(admitted("x or y"));
  CHECK(admitted("1union"));     // the last letter run
  CHECK(admitted("union1"));     // the first letter run
  CHECK(admitted("1union2"));    // a middle one
  CHECK(admitted("pg_sleep"));   // after '_'
  CHECK(admitted("x$or"));       // after '$'
  CHECK(admitted("a1b2_Sleep"));
}

TEST_CASE("prefilter words: letters of a listed word inside a longer letter run do not count") {
  CHECK_FALSE(admitted("reunion"));
  CHECK_FALSE(admitted("unions"));
  CHECK_FALSE(admitted("for"));
  CHECK_FALSE(admitted("1o2r3"));
  CHECK_FALSE(admitted("o"));
  CHECK_FALSE(admitted(""));
  CHECK_FALSE(admitted("sleepy_color"));
}
