#include "proxy/report/path_template.hpp"

#include <doctest/doctest.h>

#include <string>

using waf::proxy::report::kMaxTemplateBytes;
using waf::proxy::report::path_template;

TEST_CASE("path template: ids become {id}, the query goes") {
  struct Case {
    const char* target;
    const char* want;
  };
  const Case cases[] = {
      {"/", "/"},
      {"/login?user=a&pass=b", "/login"},
      {"/users/12345/orders", "/users/{id}/orders"},
      {"/users/12345/orders/", "/users/{id}/orders/"},
      {"/o/550e8400-e29b-41d4-a716-446655440000", "/o/{id}"},
      {"/o/550E8400-E29B-41D4-A716-446655440000", "/o/{id}"},
      {"/o/550e8400-e29b-41d4", "/o/550e8400-e29b-41d4"},  // 21 chars: not a UUID, too short for a token
      {"/blob/0123456789abcdef", "/blob/{id}"},                                               // 16 hex
      {"/blob/0123456789abcde", "/blob/0123456789abcde"},                                     // 15 hex: a word
      {"/t/eyJhbGciOiJIUzI1NiIsInR5cCI6", "/t/{id}"},                                        // 30-char token
      {"/t/abcdefghijklmnopqrstuvw", "/t/abcdefghijklmnopqrstuvw"},                          // 23 chars
      {"/t/abcdefghijklmnopqrstuvwx", "/t/{id}"},                                             // 24 chars
      {"/v1/items.json", "/v1/items.json"},
      {"/a//b", "/a//b"},
      {"http://shop.example/cart/7?x=1", "/cart/{id}"},
      {"/x#frag", "/x"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.target);
    CHECK(path_template(c.target) == c.want);
  }
}

TEST_CASE("path template: at most 256 bytes, never half a UTF-8 character") {
  std::string long_path;
  while (long_path.size() < 300) long_path += "/a.b";
  CHECK(path_template(long_path).size() == kMaxTemplateBytes);
  std::string utf8 = "/" + std::string(254, 'a') + "\xC3\xA9\xC3\xA9";  // 'é' straddles byte 256
  const auto t = path_template(utf8);
  CHECK(t.size() == 255);
  CHECK(t.back() == 'a');
}
