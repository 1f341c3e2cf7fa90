#include "postanalytics/export/queued_exporter.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "../eventually.hpp"
#include "postanalytics/export/syslog_sink.hpp"

using namespace waf::postanalytics;

namespace {

using waf::postanalytics::test::eventually;

// Records what it delivers; fails the first `failures` calls; blocks while `hold` is set.
struct FakeSink final : ExportSink {
  struct Shared {
    std::mutex mutex;
    std::vector<std::string> delivered;
    std::atomic<int> failures{0}, calls{0};
    std::atomic<bool> hold{false};
  };
  explicit FakeSink(Shared& s) : shared(s) {}
  std::string_view name() const noexcept override { return "fake"; }
  std::size_t max_batch() const noexcept override { return 2; }
  waf::Status deliver(std::span<const std::string> lines) override {
    ++shared.calls;
    while (shared.hold) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (shared.failures > 0) {
      --shared.failures;
      return waf::make_error("receiver down");
    }
    std::lock_guard lock(shared.mutex);
    shared.delivered.insert(shared.delivered.end(), lines.begin(), lines.end());
    return waf::Ok{};
  }
  Shared& shared;
};

std::uint64_t metric(const waf::metrics::Registry& registry, const std::string& series) {
  const auto text = registry.render();
  const auto at = text.find(series + " ");
  return at == std::string::npos ? 0 : std::stoull(text.substr(at + series.size() + 1));
}

constexpr RetryPolicy kFastRetry{std::chrono::milliseconds(1), std::chrono::milliseconds(4), 3};

}  // namespace

TEST_CASE("queued exporter: delivers everything in order, in batches of the sink's size") {
  FakeSink::Shared shared;
  waf::metrics::Registry registry;
  {
    QueuedExporter exporter(std::make_unique<FakeSink>(shared), registry, 100, kFastRetry);
    const std::vector<std::string> lines = {"a", "b", "c", "d", "e"};
    exporter.publish(lines);
    REQUIRE(eventually([&] { return metric(registry, R"(waf_postanalytics_export_sent_total{exporter="fake"})") == 5; }));
  }
  CHECK(shared.delivered == std::vector<std::string>{"a", "b", "c", "d", "e"});
  CHECK(shared.calls >= 3);
}

TEST_CASE("queued exporter: a failing receiver is retried with backoff, then the batch is dropped") {
  FakeSink::Shared shared;
  waf::metrics::Registry registry;
  QueuedExporter exporter(std::make_unique<FakeSink>(shared), registry, 100, kFastRetry);
  shared.failures = 2;  // two failures, the third attempt succeeds
  exporter.publish(std::vector<std::string>{"x"});
  REQUIRE(eventually([&] { return metric(registry, R"(waf_postanalytics_export_sent_total{exporter="fake"})") == 1; }));
  CHECK(metric(registry, R"(waf_postanalytics_export_errors_total{exporter="fake"})") == 2);
  shared.failures = 3;  // all three attempts fail
  exporter.publish(std::vector<std::string>{"y"});
  REQUIRE(eventually([&] { return metric(registry, R"(waf_postanalytics_export_dropped_total{exporter="fake"})") == 1; }));
  CHECK(metric(registry, R"(waf_postanalytics_export_errors_total{exporter="fake"})") == 5);
}

TEST_CASE("queued exporter: publish never waits on a stuck receiver; a full queue drops and counts") {
  FakeSink::Shared shared;
  shared.hold = true;
  waf::metrics::Registry registry;
  QueuedExporter exporter(std::make_unique<FakeSink>(shared), registry, 4, kFastRetry);
  exporter.publish(std::vector<std::string>{"first"});
  REQUIRE(eventually([&] { return shared.calls == 1; }));  // the thread is stuck delivering "first"
  const auto started = std::chrono::steady_clock::now();
  exporter.publish(std::vector<std::string>(10, "z"));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(100));
  CHECK(metric(registry, R"(waf_postanalytics_export_dropped_total{exporter="fake"})") == 6);
  shared.hold = false;
  REQUIRE(eventually([&] { return metric(registry, R"(waf_postanalytics_export_sent_total{exporter="fake"})") == 5; }));
}

TEST_CASE("syslog sink: one RFC 5424 datagram per event over UDP") {
  const int receiver = ::socket(AF_INET, SOCK_DGRAM, 0);
  REQUIRE(receiver >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(receiver, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(receiver, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  timeval tv{5, 0};
  ::setsockopt(receiver, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

  SyslogSink sink({SyslogTarget::Transport::udp, "127.0.0.1", ntohs(addr.sin_port)}, {"host", "7"});
  const std::vector<std::string> lines = {R"({"time":"2026-11-22T15:45:56.123Z","action":"blocked"})", "{}"};
  REQUIRE(sink.deliver(lines).ok());
  char buffer[2048];
  auto n = ::recv(receiver, buffer, sizeof buffer, 0);
  REQUIRE(n > 0);
  CHECK(std::string(buffer, static_cast<std::size_t>(n)) ==
        R"(<132>1 2026-11-22T15:45:56.123Z host waf 7 attack - {"time":"2026-11-22T15:45:56.123Z","action":"blocked"})");
  n = ::recv(receiver, buffer, sizeof buffer, 0);
  REQUIRE(n > 0);
  CHECK(std::string(buffer, static_cast<std::size_t>(n)).ends_with(" host waf 7 attack - {}"));
  ::close(receiver);
}
