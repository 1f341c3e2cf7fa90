#include "postanalytics/analytics/redis_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "common/net/endpoint.hpp"

namespace waf::postanalytics {

Result<RedisEndpoint> parse_redis_url(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme)) return make_error(fmt::format("--redis: '{}' must start with redis://", url));
  auto rest = url.substr(kScheme.size());
  RedisEndpoint out;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    const auto db_text = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db_text.empty()) {
      const auto [end, ec] = std::from_chars(db_text.data(), db_text.data() + db_text.size(), out.db);
      if (ec != std::errc{} || end != db_text.data() + db_text.size() || out.db < 0) {
        return make_error(fmt::format("--redis: '{}' is not a database number", db_text));
      }
    }
  }
  if (rest.find('@') != std::string_view::npos) return make_error("--redis: credentials in the URL are not supported");
  const bool has_port = !rest.empty() && rest.back() != ']' && rest.rfind(':') != std::string_view::npos &&
                        (rest.front() == '[' || rest.find(':') == rest.rfind(':'));
  auto host_port = net::parse_host_port(has_port ? std::string(rest) : fmt::format("{}:6379", rest));
  if (!host_port) return make_error("--redis: " + host_port.error().message);
  if (host_port->host.empty()) return make_error(fmt::format("--redis: '{}' has no host", url));
  out.host = host_port->host;
  out.port = host_port->port;
  return out;
}

RedisClient::RedisClient(RedisEndpoint endpoint, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout) {}

Error RedisClient::fail(std::string message) {
  socket_.close();
  in_.clear();
  next_attempt_ = std::chrono::steady_clock::now() + backoff_;
  backoff_ = std::min(backoff_ * 2, kMaxBackoff);
  return make_error("redis: " + std::move(message));
}

Status RedisClient::ensure_connected() {
  if (socket_.is_open()) return Ok{};
  if (std::chrono::steady_clock::now() < next_attempt_) return make_error("redis: reconnecting after a failure");
  auto connected = connect_tcp(endpoint_.host, endpoint_.port, timeout_);
  if (!connected) return fail(connected.error().message);
  socket_ = std::move(*connected);
  backoff_ = kFirstBackoff;
  if (endpoint_.db != 0) {
    auto selected = pipeline({{"SELECT", std::to_string(endpoint_.db)}});
    if (!selected) return selected.error();
    if ((*selected)[0].type == RespValue::Type::error) return fail("SELECT: " + (*selected)[0].text);
  }
  return Ok{};
}

Result<std::vector<RespValue>> RedisClient::pipeline(const std::vector<Command>& commands) {
  if (auto connected = ensure_connected(); !connected) return connected.error();
  std::string out;
  for (const auto& command : commands) append_resp_command(out, command);
  if (auto sent = socket_.send_all(out); !sent) return fail(sent.error().message);
  std::vector<RespValue> replies;
  replies.reserve(commands.size());
  char buffer[16384];
  while (replies.size() < commands.size()) {
    RespValue reply;
    auto used = parse_resp(in_, reply);
    if (!used) return fail(used.error().message);
    if (*used > 0) {
      in_.erase(0, *used);
      replies.push_back(std::move(reply));
      continue;
    }
    auto n = socket_.receive(buffer, sizeof buffer);
    if (!n) return fail(n.error().message);
    if (*n == 0) return fail("connection closed");
    in_.append(buffer, *n);
  }
  return replies;
}

}  // namespace waf::postanalytics
