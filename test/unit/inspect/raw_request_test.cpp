#include "inspect/raw_request.hpp"

#include <doctest/doctest.h>

#include "engine/engine.hpp"
#include "inspect/verdict_line.hpp"

using namespace waf::inspect;

TEST_CASE("raw request: CRLF request with Content-Length") {
  const auto r = parse_raw_request("POST /login?next=%2F HTTP/1.1\r\nHost: a.example\r\nContent-Length: 7\r\n\r\nu=x&p=yEXTRA");
  REQUIRE(r.ok());
  CHECK(r->method == "POST");
  CHECK(r->target == "/login?next=%2F");
  CHECK(r->version == "HTTP/1.1");
  REQUIRE(r->headers.size() == 2);
  CHECK(r->headers[0] == std::pair<std::string, std::string>{"Host", "a.example"});
  CHECK(r->body == "u=x&p=y");
}

TEST_CASE("raw request: hand-written file with LF, folding, no framing, trailing newlines") {
  const auto r = parse_raw_request("\nGET /a b HTTP/1.1\nX-Long: one\n  two\nCookie: a=1\n\nbody text\n\n");
  REQUIRE(r.ok());
  CHECK(r->target == "/a b");  // a raw space in the target is kept: it is what the client sent
  CHECK(r->headers[0].second == "one two");
  CHECK(r->body == "body text");
}

TEST_CASE("raw request: chunked body is decoded; a broken chunk keeps what came before") {
  auto r = parse_raw_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\n\r\n");
  REQUIRE(r.ok());
  CHECK(r->body == "abcdefg");
  r = parse_raw_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\nzz\r\n");
  REQUIRE(r.ok());
  CHECK(r->body == "ab");
}

TEST_CASE("raw request: errors name the problem") {
  CHECK(parse_raw_request("").error().message == "empty request");
  CHECK(parse_raw_request("\r\n\r\n").error().message == "empty request");
  CHECK(parse_raw_request("GET\r\n\r\n").error().message == "request line has no target: 'GET'");
  CHECK(parse_raw_request("this is not a request\n").error().message ==
        "request line has no valid target: 'this is not a request'");
  CHECK(parse_raw_request("GET / HTTP/1.1\r\nno colon here\r\n\r\n").error().message ==
        "header line without ':': 'no colon here'");
}

TEST_CASE("raw request: engine view takes the client IP from the option or X-Forwarded-For, cuts the body") {
  const auto r = parse_raw_request("POST / HTTP/1.1\r\nX-Forwarded-For: 198.51.100.7, 10.0.0.1\r\nContent-Length: 6\r\n\r\nabcdef");
  REQUIRE(r.ok());
  auto request = to_engine_request(*r, "", 4);
  CHECK(request.client_ip == "198.51.100.7");
  CHECK(request.body == "abcd");
  CHECK(request.body_truncated);
  request = to_engine_request(*r, "192.0.2.1", 100);
  CHECK(request.client_ip == "192.0.2.1");
  CHECK_FALSE(request.body_truncated);
}

TEST_CASE("verdict line: one JSON object with the verdict's fields") {
  waf::engine::Verdict v;
  v.action = waf::engine::Action::block;
  v.mode = waf::engine::Mode::block;
  v.status = 403;
  v.classes = {waf::engine::AttackClass::xss};
  v.findings.push_back({waf::engine::AttackClass::xss, "cookie.a", "<script>\"", 80, "tag"});
  CHECK(render_verdict_line("dir/x.http", v) ==
        R"({"file":"dir/x.http","action":"block","status":403,"mode":"block","classes":["xss"],)"
        R"("findings":[{"class":"xss","location":"cookie.a","evidence":"<script>\"","score":80,"detail":"tag"}],)"
        R"("partial_inspection":false})");
  CHECK(render_error_line("f", "empty request") == R"({"file":"f","error":"empty request"})");
}
