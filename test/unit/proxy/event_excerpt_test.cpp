// The excerpt the proxy adds to attack events it sends to postanalytics (engine/event.hpp).
#include <doctest/doctest.h>

#include <string>

#include "engine/event.hpp"

using namespace waf::engine;

namespace {
Request request(std::string_view body) {
  Request r;
  r.method = "POST";
  r.target = "/login?x=1";
  r.headers = {{"Host", "shop.example"}, {"Authorization", "Bearer s3cret"}, {"proxy-authorization", "Basic eA=="},
               {"Content-Type", "text/plain"}};
  r.body = body;
  r.client_ip = "192.0.2.10";
  return r;
}
}  // namespace

TEST_CASE("excerpt: request line, headers with credentials redacted, blank line, body") {
  const auto e = render_excerpt(request("user=a' OR 1=1"), "HTTP/1.1");
  CHECK(e.text ==
        "POST /login?x=1 HTTP/1.1\r\nHost: shop.example\r\nAuthorization: [redacted]\r\n"
        "proxy-authorization: [redacted]\r\nContent-Type: text/plain\r\n\r\nuser=a' OR 1=1");
  CHECK_FALSE(e.truncated);
}

TEST_CASE("excerpt: at most 1024 body bytes and 4096 in all, cut between UTF-8 characters") {
  std::string body(1023, 'a');
  body += "\xC3\xA9tail";  // 'é' straddles byte 1024
  const auto e = render_excerpt(request(body), "HTTP/1.1");
  CHECK(e.truncated);
  CHECK(e.text.substr(e.text.size() - 2) == "aa");
  CHECK(e.text.find("\r\n\r\n" + std::string(1023, 'a')) != std::string::npos);

  Request big = request("");
  const std::string value(5000, 'v');
  big.headers.emplace_back("X-Big", value);
  const auto cut = render_excerpt(big, "HTTP/1.1");
  CHECK(cut.truncated);
  CHECK(cut.text.size() == kExcerptBytes);

  Request held = request("abc");
  held.body_truncated = true;  // the body went on past what was held
  CHECK(render_excerpt(held, "HTTP/1.0").truncated);
}

TEST_CASE("excerpt: in the event only when given") {
  const Request r = request("x");
  Verdict v;
  v.action = Action::monitor;
  EventContext context;
  context.request_id = "r1";
  context.response_status = 200;
  const auto without = render_event(r, v, context);
  CHECK(without.find("excerpt") == std::string::npos);
  const Excerpt e{"GET / HTTP/1.1\r\n\r\n", false};
  context.excerpt = &e;
  const auto with = render_event(r, v, context);
  CHECK(with.find(R"("status":200,"partial_inspection":false,"excerpt":"GET / HTTP/1.1\r\n\r\n","excerpt_truncated":false})") !=
        std::string::npos);
}
