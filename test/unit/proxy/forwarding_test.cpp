#include "proxy/forwarding.hpp"

#include <doctest/doctest.h>

using namespace waf::proxy;

namespace {
MessageHead request(std::vector<Header> headers, std::string method = "GET") {
  MessageHead h;
  h.method = std::move(method);
  h.target = "/p?q=1";
  h.headers = std::move(headers);
  return h;
}
}  // namespace

TEST_CASE("forwarding: refuses heads that let two parsers disagree on the body") {
  CHECK(check_request_head(request({{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}})).error ==
        CodecError::smuggling);
  CHECK(check_request_head(request({{"Host", "x"}, {"Content-Length", "3"}, {"Content-Length", "3"}})).error ==
        CodecError::smuggling);
  CHECK(check_request_head(request({{"Host", "x"}, {"Transfer-Encoding", "gzip, chunked"}})).error == CodecError::smuggling);
  CHECK(check_request_head(request({{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}})).error ==
        CodecError::smuggling);
  CHECK(check_request_head(request({{"Host ", "x"}})).error == CodecError::malformed);
  CHECK(check_request_head(request({})).error == CodecError::malformed);  // HTTP/1.1 without Host
  CHECK(check_request_head(request({{"Host", "x"}, {"Transfer-Encoding", " Chunked "}})).error == CodecError::none);
  auto http10 = request({});
  http10.version_minor = 0;
  CHECK(check_request_head(http10).error == CodecError::none);
}

TEST_CASE("forwarding: upstream head drops hop-by-hop headers and sets forwarding headers") {
  auto head = request({{"Host", "app.example"},
                       {"Connection", "keep-alive, X-Secret-Hop"},
                       {"X-Secret-Hop", "1"},
                       {"Keep-Alive", "timeout=5"},
                       {"TE", "trailers"},
                       {"Expect", "100-continue"},
                       {"X-Forwarded-For", "6.6.6.6"},
                       {"X-Request-Id", "spoofed"},
                       {"Accept", "*/*"}});
  const auto out = build_upstream_request(head, {"10.0.0.9", "10.0.0.9", false, "rid1"});
  CHECK(out ==
        "GET /p?q=1 HTTP/1.1\r\nHost: app.example\r\nAccept: */*\r\nX-Forwarded-For: 10.0.0.9\r\n"
        "X-Forwarded-Proto: http\r\nX-Forwarded-Host: app.example\r\nX-Request-Id: rid1\r\n\r\n");
}

TEST_CASE("forwarding: a trusted peer's X-Forwarded-For is extended and yields the client IP") {
  auto head = request({{"Host", "h"}, {"X-Forwarded-For", "203.0.113.7, 10.1.1.1"}, {"X-Forwarded-Proto", "https"}});
  const auto trusted = *waf::net::CidrSet::parse_list("10.0.0.0/8");
  CHECK(real_client_ip(head, "10.2.2.2", true, trusted) == "203.0.113.7");
  CHECK(real_client_ip(head, "198.51.100.1", false, trusted) == "198.51.100.1");
  const auto out = build_upstream_request(head, {"203.0.113.7", "10.2.2.2", true, "r"});
  CHECK(out.find("X-Forwarded-For: 203.0.113.7, 10.1.1.1, 10.2.2.2\r\n") != std::string::npos);
  CHECK(out.find("X-Forwarded-Proto: https\r\n") != std::string::npos);
}

TEST_CASE("forwarding: response framing follows the client's HTTP version") {
  MessageHead chunked;
  chunked.status = 200;
  chunked.chunked = true;
  CHECK(response_framing(chunked, false, false, false) == BodyFraming::chunked);
  CHECK(response_framing(chunked, false, false, true) == BodyFraming::until_close);
  MessageHead sized;
  sized.status = 200;
  sized.has_content_length = true;
  sized.content_length = 5;
  CHECK(response_framing(sized, false, false, false) == BodyFraming::content_length);
  CHECK(response_framing(sized, false, true, false) == BodyFraming::none);
  sized.headers = {{"Content-Length", "5"}, {"Connection", "close"}, {"X-App", "1"}};
  CHECK(build_client_response_head(sized, BodyFraming::content_length, true, false, "rid") ==
        "HTTP/1.1 200 OK\r\nX-App: 1\r\nContent-Length: 5\r\nX-Request-Id: rid\r\n\r\n");
  CHECK(build_client_response_head(sized, BodyFraming::content_length, false, true, "rid").find("Connection: close\r\n") !=
        std::string::npos);
}

TEST_CASE("forwarding: local responses carry the request id") {
  const auto r = build_local_response(403, "blocked", "abc", false);
  CHECK(r.starts_with("HTTP/1.1 403 Forbidden\r\n"));
  CHECK(r.find("X-Request-Id: abc\r\n") != std::string::npos);
  CHECK(r.find("\"request_id\":\"abc\"") != std::string::npos);
  CHECK(is_acceptable_request_id("abc-123"));
  CHECK_FALSE(is_acceptable_request_id("a b"));
  CHECK_FALSE(is_acceptable_request_id(std::string(200, 'a')));
}
