#include "iptables/executor.hpp"

#include <doctest/doctest.h>

using namespace waf::iptables;

TEST_CASE("process executor: feeds stdin and collects stdout, stderr and the exit code") {
  ProcessExecutor exec;
  // Larger than a pipe buffer both ways, so a naive write-then-read would deadlock.
  const std::string big(256 * 1024, 'x');
  auto r = exec.run({{"sh", "-c", "cat; echo oops >&2; exit 3"}, big});
  REQUIRE(r.ok());
  CHECK(r->exit_code == 3);
  CHECK(r->out == big);
  CHECK(r->err == "oops\n");
}

TEST_CASE("process executor: a child that ignores stdin and exits does not kill us (SIGPIPE)") {
  ProcessExecutor exec;
  auto r = exec.run({{"true"}, std::string(1024 * 1024, 'x')});
  REQUIRE(r.ok());
  CHECK(r->exit_code == 0);
}

TEST_CASE("process executor: a missing program and a hung one are errors") {
  ProcessExecutor exec(std::chrono::milliseconds(300));
  auto missing = exec.run({{"waf-no-such-program"}, {}});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "waf-no-such-program: not found in PATH, /usr/sbin or /sbin");
  auto hung = exec.run({{"sleep", "30"}, {}});
  REQUIRE_FALSE(hung.ok());
  CHECK(hung.error().message.find("no answer within 300 ms, killed") != std::string::npos);
}
