#include "http/http_message.hpp"

#include <doctest/doctest.h>

using namespace waf::http;

TEST_CASE("http head: a complete POST with Content-Length") {
  const std::string data = "POST /mutate?timeout=10s HTTP/1.1\r\nHost: x\r\ncontent-length: 12\r\n\r\n{\"a\":1}";
  auto head = parse_request_head(data, 1024);
  REQUIRE(head.status == HeadStatus::complete);
  CHECK(head.request.method == "POST");
  CHECK(head.request.target == "/mutate?timeout=10s");
  CHECK(head.request.content_length == 12);
  CHECK(head.request.keep_alive);
  CHECK(data.substr(head.head_bytes) == "{\"a\":1}");
}

TEST_CASE("http head: incomplete, too large and refused framings") {
  CHECK(parse_request_head("POST / HTTP/1.1\r\nHost: x\r\n", 1024).status == HeadStatus::incomplete);
  CHECK(parse_request_head(std::string(2000, 'a'), 1024).status == HeadStatus::too_large);
  for (const char* bad : {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                          "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
                          "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "POST / HTTP/1.1\r\nHost : x\r\n\r\n",
                          "POST / HTTP/2\r\n\r\n", "GARBAGE\r\n\r\n"}) {
    CHECK_MESSAGE(parse_request_head(bad, 1024).status == HeadStatus::bad, bad);
  }
}

TEST_CASE("http head: HTTP/1.0 and Connection: close end the connection") {
  CHECK_FALSE(parse_request_head("GET /healthz HTTP/1.0\r\n\r\n", 1024).request.keep_alive);
  CHECK_FALSE(parse_request_head("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", 1024).request.keep_alive);
}

TEST_CASE("http response: framing headers") {
  HttpResponse r;
  r.body = "{}";
  CHECK(render_response(r) ==
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}");
}

TEST_CASE("http head: headers are kept in order, looked up case-insensitively") {
  const std::string data =
      "POST /ingest/v1/batch?x=1 HTTP/1.1\r\nX-Waf-Sender: pod:1:0\r\nx-waf-batch-seq: 7\r\nContent-Length: 0\r\n\r\n";
  auto head = parse_request_head(data, 1024);
  REQUIRE(head.status == HeadStatus::complete);
  CHECK(head.request.headers.size() == 3);
  CHECK(head.request.header("x-waf-sender") == "pod:1:0");
  CHECK(head.request.header("X-Waf-Batch-Seq") == "7");
  CHECK(head.request.header("Authorization").empty());
  CHECK(head.request.path() == "/ingest/v1/batch");
  CHECK(head.request.query() == "x=1");
}

TEST_CASE("http response: extra headers; 204 and 304 have no body framing") {
  HttpResponse r;
  r.body = "{}";
  r.headers.emplace_back("ETag", "\"3\"");
  CHECK(render_response(r) ==
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nETag: \"3\"\r\nConnection: "
        "keep-alive\r\n\r\n{}");
  r.status = 304;
  r.body.clear();
  CHECK(render_response(r) == "HTTP/1.1 304 Not Modified\r\nETag: \"3\"\r\nConnection: keep-alive\r\n\r\n");
  HttpResponse empty;
  empty.status = 204;
  CHECK(render_response(empty) == "HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n");
}

TEST_CASE("http query: parameters are decoded, malformed escapes refused") {
  CHECK(query_param("a=1&ip=10.0.0.0%2F8&b", "ip") == "10.0.0.0/8");
  CHECK(query_param("path=%2Fapi%2F*&q=a+b", "q") == "a b");
  CHECK(query_param("b", "b") == "");
  CHECK_FALSE(query_param("a=1", "ip").has_value());
  CHECK_FALSE(query_param("ip=%2", "ip").has_value());
  CHECK_FALSE(query_param("ip=%zz", "ip").has_value());
}
