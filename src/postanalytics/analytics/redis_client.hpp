#pragma once
// A small blocking Redis client for the analytics thread: one TCP connection, pipelined commands,
// connect/read/write timeouts, and a reconnect backoff during which calls fail at once instead
// of waiting on a dead server again. Not thread-safe: one owner thread.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "postanalytics/analytics/resp.hpp"
#include "postanalytics/export/blocking_socket.hpp"

namespace waf::postanalytics {

struct RedisEndpoint {
  std::string host;
  std::uint16_t port = 6379;
  int db = 0;
};

// "redis://host:port[/db]" (port defaults to 6379, db to 0; "[v6]:port" for IPv6).
Result<RedisEndpoint> parse_redis_url(std::string_view url);

class RedisClient {
 public:
  using Command = std::vector<std::string>;
  static constexpr std::chrono::milliseconds kFirstBackoff{100};
  static constexpr std::chrono::milliseconds kMaxBackoff{5000};

  RedisClient(RedisEndpoint endpoint, std::chrono::milliseconds timeout);

  // Sends the commands in one write and returns one reply per command. An error reply (-ERR) is
  // a reply, not a failure; a failure is a connection or protocol problem, after which the
  // connection is closed and reconnecting waits out the backoff.
  Result<std::vector<RespValue>> pipeline(const std::vector<Command>& commands);

 private:
  Status ensure_connected();
  // Closes the connection and schedules the next attempt; returns the error for the caller.
  Error fail(std::string message);

  RedisEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
  BlockingSocket socket_;
  std::string in_;  // bytes received and not yet parsed
  std::chrono::milliseconds backoff_{kFirstBackoff};
  std::chrono::steady_clock::time_point next_attempt_{};
};

}  // namespace waf::postanalytics
