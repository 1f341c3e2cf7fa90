#include "postanalytics/api_json.hpp"

#include <doctest/doctest.h>

using namespace waf::postanalytics;

TEST_CASE("api json: the stored event gets its id first") {
  CHECK(render_event(7, R"({"schema":"waf.event/v1","time":"t"})") == R"({"id":"7","schema":"waf.event/v1","time":"t"})");
  CHECK(render_event(7, "{}") == R"({"id":"7"})");
}

TEST_CASE("api json: lists for the proxies leave expired entries out") {
  IpLists lists;
  lists.version = 4;
  lists.grey.push_back({"203.0.113.7", "brute_force", 0, 1795362300000});
  lists.grey.push_back({"203.0.113.9", "flood", 0, 1000});  // expired
  lists.deny.push_back({"198.51.100.0/24", "manual", 0, std::nullopt});
  CHECK(render_lists_for_proxies(lists, 2000) ==
        R"({"version":4,"grey":[{"ip":"203.0.113.7","reason":"brute_force","expires":"2026-11-22T15:45:00.000Z"}],)"
        R"("deny":[{"ip":"198.51.100.0/24","reason":"manual","expires":null}]})");
  CHECK(render_list(4, lists.deny, 2000) ==
        R"({"version":4,"entries":[{"ip":"198.51.100.0/24","reason":"manual","added":"1970-01-01T00:00:00.000Z","expires":null}]})");
}

TEST_CASE("api json: an events page with its cursor") {
  StoredEvent a, b;
  a.id = 9;
  a.json = R"({"x":1})";
  b.id = 8;
  b.json = R"({"x":2})";
  EventPage page;
  page.events = {&a, &b};
  page.matched = 5;
  page.next_cursor = 8;
  CHECK(render_events_page(page) == R"({"events":[{"id":"9","x":1},{"id":"8","x":2}],"matched":5,"next_cursor":"8"})");
  page.next_cursor.reset();
  page.events.clear();
  CHECK(render_events_page(page) == R"({"events":[],"matched":5,"next_cursor":null})");
}
