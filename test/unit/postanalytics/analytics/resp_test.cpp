#include "postanalytics/analytics/resp.hpp"

#include <doctest/doctest.h>

using namespace waf::postanalytics;
using Type = RespValue::Type;

namespace {

RespValue parse_all(std::string_view in) {
  RespValue v;
  const auto used = parse_resp(in, v);
  REQUIRE(used.ok());
  CHECK(*used == in.size());
  return v;
}

}  // namespace

TEST_CASE("resp: commands are arrays of bulk strings, binary safe") {
  std::string out;
  const std::vector<std::string> args = {"HSET", "waf:grey", "10.0.0.1", std::string("a\r\nb\0c", 6)};
  append_resp_command(out, args);
  CHECK(out == std::string("*4\r\n$4\r\nHSET\r\n$8\r\nwaf:grey\r\n$8\r\n10.0.0.1\r\n$6\r\na\r\nb\0c\r\n", 54));
}

TEST_CASE("resp: every reply type") {
  CHECK(parse_all("+OK\r\n") == RespValue{Type::simple, "OK", 0, {}});
  CHECK(parse_all("-WRONGTYPE Operation\r\n") == RespValue{Type::error, "WRONGTYPE Operation", 0, {}});
  CHECK(parse_all(":-42\r\n") == RespValue{Type::integer, "", -42, {}});
  CHECK(parse_all("$5\r\nhe\r\no\r\n") == RespValue{Type::bulk, "he\r\no", 0, {}});
  CHECK(parse_all("$0\r\n\r\n") == RespValue{Type::bulk, "", 0, {}});
  CHECK(parse_all("$-1\r\n").type == Type::nil);
  CHECK(parse_all("*-1\r\n").type == Type::nil);
  const auto array = parse_all("*3\r\n$1\r\n7\r\n$-1\r\n*1\r\n:1\r\n");
  REQUIRE(array.type == Type::array);
  REQUIRE(array.elements.size() == 3);
  CHECK(array.elements[0].text == "7");
  CHECK(array.elements[1].type == Type::nil);
  CHECK(array.elements[2].elements[0].integer == 1);
}

TEST_CASE("resp: every proper prefix is incomplete, never an error") {
  const std::string reply = "*2\r\n$3\r\nabc\r\n*2\r\n:1\r\n+x\r\n";
  for (std::size_t n = 0; n < reply.size(); ++n) {
    RespValue v;
    const auto used = parse_resp(std::string_view(reply).substr(0, n), v);
    CAPTURE(n);
    REQUIRE(used.ok());
    CHECK(*used == 0);
  }
}

TEST_CASE("resp: consumes one reply and leaves the next") {
  RespValue v;
  const auto used = parse_resp(":1\r\n:2\r\n", v);
  REQUIRE(used.ok());
  CHECK(*used == 4);
  CHECK(v.integer == 1);
}

TEST_CASE("resp: malformed or oversized replies are errors") {
  const char* bad[] = {"?x\r\n", ":12a\r\n", ":\r\n", "$abc\r\n", "$3\r\nabcd\r\n", "$-2\r\n", "$99999999999\r\n",
                       "*-5\r\n", "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n"};
  for (const char* in : bad) {
    CAPTURE(in);
    RespValue v;
    CHECK_FALSE(parse_resp(in, v).ok());
  }
}
