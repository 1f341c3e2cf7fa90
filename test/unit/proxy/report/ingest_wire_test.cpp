#include "proxy/report/ingest_wire.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace waf::proxy::report;

TEST_CASE("ingest wire: a batch is an NDJSON POST with sender and seq") {
  Batch b;
  b.seq = 7;
  CHECK(b.add(R"({"schema":"waf.stats/v1"})", false));
  CHECK(b.add(R"({"schema":"waf.event/v1"})", true));
  CHECK(b.events == 1);
  CHECK(b.stats == 1);
  const std::string body = "{\"schema\":\"waf.stats/v1\"}\n{\"schema\":\"waf.event/v1\"}\n";
  CHECK(batch_request("pa:7000", "shop-7d9:12:0", b) ==
        "POST /ingest/v1/batch HTTP/1.1\r\nHost: pa:7000\r\nContent-Type: application/x-ndjson\r\n"
        "X-Waf-Sender: shop-7d9:12:0\r\nX-Waf-Batch-Seq: 7\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

TEST_CASE("ingest wire: a batch stays under the server's 4 MiB") {
  Batch b;
  const std::string line(1024 * 1024, 'x');
  CHECK(b.add(line, true));
  CHECK(b.add(line, true));
  CHECK(b.add(line, true));
  CHECK_FALSE(b.add(line, true));
  CHECK(b.events == 3);
  CHECK(b.body.size() <= kBatchMaxBytes);
  Batch empty;
  CHECK_FALSE(empty.add(std::string(kBatchMaxBytes, 'x'), true));
  CHECK(empty.empty());
}

TEST_CASE("ingest wire: lists GET is conditional on the ETag held") {
  CHECK(lists_request("pa:7000", "") == "GET /ingest/v1/lists HTTP/1.1\r\nHost: pa:7000\r\n\r\n");
  CHECK(lists_request("pa:7000", "\"3\"") == "GET /ingest/v1/lists HTTP/1.1\r\nHost: pa:7000\r\nIf-None-Match: \"3\"\r\n\r\n");
}

TEST_CASE("ingest wire: which answers retry, which drop") {
  CHECK(batch_outcome(200) == BatchOutcome::accepted);
  CHECK(batch_outcome(400) == BatchOutcome::rejected);
  CHECK(batch_outcome(413) == BatchOutcome::rejected);
  CHECK(batch_outcome(404) == BatchOutcome::rejected);
  CHECK(batch_outcome(429) == BatchOutcome::retry);
  CHECK(batch_outcome(503) == BatchOutcome::retry);
  CHECK(batch_outcome(500) == BatchOutcome::retry);
  CHECK(lists_version_of(R"({"accepted_events":2,"accepted_stats":0,"duplicate":false,"lists_version":12})") == 12u);
  CHECK_FALSE(lists_version_of(R"({"accepted_events":2})").has_value());
}
