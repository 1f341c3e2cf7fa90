#include "postanalytics/export/webhook_format.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace waf::postanalytics;

TEST_CASE("webhook url: scheme, host, default and explicit port, target") {
  const auto plain = parse_http_url("http://hooks.example");
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->tls);
  CHECK(plain->host == "hooks.example");
  CHECK(plain->port == 80);
  CHECK(plain->target == "/");
  CHECK(plain->host_header == "hooks.example");
  const auto full = parse_http_url("https://[::1]:8443/hook/waf?token=x");
  REQUIRE(full.ok());
  CHECK(full->tls);
  CHECK(full->host == "::1");
  CHECK(full->port == 8443);
  CHECK(full->target == "/hook/waf?token=x");
  CHECK(full->host_header == "[::1]:8443");
  CHECK(parse_http_url("http://x:81?a=1")->target == "/?a=1");
  CHECK(parse_http_url("ftp://x").error().message.starts_with("--export-webhook"));
  CHECK_FALSE(parse_http_url("http://").ok());
  CHECK_FALSE(parse_http_url("http://u:p@x/").ok());
  CHECK_FALSE(parse_http_url("http://x:99999/").ok());
}

TEST_CASE("webhook: the batch body and the request, byte for byte") {
  const std::vector<std::string> lines = {R"({"schema":"waf.event/v1","action":"blocked"})", R"({"a":1})"};
  const auto body = webhook_body(lines);
  CHECK(body == R"({"events":[{"schema":"waf.event/v1","action":"blocked"},{"a":1}]})");
  CHECK(webhook_body({}) == R"({"events":[]})");
  const auto url = parse_http_url("http://127.0.0.1:9000/hook").value();
  CHECK(webhook_request(url, "{}") ==
        "POST /hook HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nUser-Agent: waf-postanalytics\r\n"
        "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
}

TEST_CASE("webhook: status line") {
  CHECK(*parse_status_line("HTTP/1.1 204 No Content\r\n") == 204);
  CHECK(*parse_status_line("HTTP/1.0 503 x\r\n\r\n") == 503);
  CHECK_FALSE(parse_status_line("HTTP/2 200\r\n").ok());
  CHECK_FALSE(parse_status_line("HTTP/1.1 2x0 OK\r\n").ok());
  CHECK_FALSE(parse_status_line("HTTP/1.1 999 What\r\n").ok());
  CHECK_FALSE(parse_status_line("").ok());
}
