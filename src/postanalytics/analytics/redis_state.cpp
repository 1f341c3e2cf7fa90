#include "postanalytics/analytics/redis_state.hpp"

#include <fmt/format.h>

#include <charconv>

namespace waf::postanalytics {
namespace {

using Command = RedisClient::Command;

std::string_view list_key(IpList list) { return list == IpList::grey ? kRedisGreyKey : kRedisDenyKey; }

Status reply_error(const RespValue& reply) {
  if (reply.type == RespValue::Type::error) return make_error("redis: " + reply.text);
  return Ok{};
}

}  // namespace

std::string redis_counter_key(BehaviourKind kind, std::string_view ip, std::int64_t bucket) {
  return fmt::format("waf:count:{}:{}:{}", behaviour_reason(kind), ip, bucket);
}

std::vector<Command> counter_commands(const BehaviourConfig& config, std::span<const CounterIncrement> increments) {
  const auto ttl_seconds = (config.window_ms + config.bucket_ms) / 1000 + 1;
  std::vector<Command> out;
  out.reserve(increments.size() * 3);
  for (const auto& inc : increments) {
    auto key = redis_counter_key(inc.kind, inc.ip, inc.bucket);
    out.push_back({"INCRBY", key, std::to_string(inc.count)});
    out.push_back({"EXPIRE", std::move(key), std::to_string(ttl_seconds)});
    Command mget{"MGET"};
    for (std::int64_t b = inc.bucket - kWindowBuckets + 1; b <= inc.bucket; ++b) {
      mget.push_back(redis_counter_key(inc.kind, inc.ip, b));
    }
    out.push_back(std::move(mget));
  }
  return out;
}

Result<std::vector<std::uint64_t>> window_totals(std::span<const RespValue> replies) {
  if (replies.size() % 3 != 0) return make_error("redis: counter replies out of step");
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i < replies.size(); i += 3) {
    for (std::size_t j = i; j < i + 3; ++j) {
      if (auto ok = reply_error(replies[j]); !ok) return ok.error();
    }
    const auto& mget = replies[i + 2];
    if (mget.type != RespValue::Type::array) return make_error("redis: MGET did not answer an array");
    std::uint64_t total = 0;
    for (const auto& value : mget.elements) {
      if (value.type != RespValue::Type::bulk) continue;  // nil: an empty bucket
      std::uint64_t n = 0;
      const auto [end, ec] = std::from_chars(value.text.data(), value.text.data() + value.text.size(), n);
      if (ec == std::errc{} && end == value.text.data() + value.text.size()) total += n;
    }
    out.push_back(total);
  }
  return out;
}

std::vector<Command> list_change_commands(std::span<const ListChange> changes) {
  std::vector<Command> out;
  for (const auto& change : changes) {
    if (change.put) {
      out.push_back({"HSET", std::string(list_key(change.list)), change.entry.ip, entry_to_json(change.entry)});
    } else {
      out.push_back({"HDEL", std::string(list_key(change.list)), change.entry.ip});
    }
  }
  if (!changes.empty()) out.push_back({"INCR", std::string(kRedisVersionKey)});
  return out;
}

std::vector<IpListEntry> entries_from_hgetall(const RespValue& reply) {
  std::vector<IpListEntry> out;
  if (reply.type != RespValue::Type::array) return out;
  for (std::size_t i = 1; i < reply.elements.size(); i += 2) {
    auto entry = entry_from_json(reply.elements[i].text);
    if (entry) out.push_back(std::move(*entry));
  }
  return out;
}

RedisState::RedisState(RedisEndpoint endpoint, const BehaviourConfig& config, std::chrono::milliseconds timeout)
    : client_(std::move(endpoint), timeout), config_(config) {}

Result<std::vector<std::uint64_t>> RedisState::add(std::span<const CounterIncrement> increments) {
  if (increments.empty()) return std::vector<std::uint64_t>{};
  auto replies = client_.pipeline(counter_commands(config_, increments));
  if (!replies) return replies.error();
  return window_totals(*replies);
}

Status RedisState::apply(std::span<const ListChange> changes) {
  if (changes.empty()) return Ok{};
  auto replies = client_.pipeline(list_change_commands(changes));
  if (!replies) return replies.error();
  for (const auto& reply : *replies) {
    if (auto ok = reply_error(reply); !ok) return ok;
  }
  return Ok{};
}

Result<std::optional<SharedLists>> RedisState::load_if_changed() {
  auto version = client_.pipeline({{"GET", std::string(kRedisVersionKey)}});
  if (!version) return version.error();
  const auto& v = (*version)[0];
  if (auto ok = reply_error(v); !ok) return ok.error();
  const std::string text = v.type == RespValue::Type::bulk ? v.text : "";
  if (loaded_version_ == text) return std::optional<SharedLists>{};
  auto lists = client_.pipeline({{"HGETALL", std::string(kRedisGreyKey)}, {"HGETALL", std::string(kRedisDenyKey)}});
  if (!lists) return lists.error();
  for (const auto& reply : *lists) {
    if (auto ok = reply_error(reply); !ok) return ok.error();
  }
  loaded_version_ = text;
  return std::optional<SharedLists>{SharedLists{entries_from_hgetall((*lists)[0]), entries_from_hgetall((*lists)[1])}};
}

}  // namespace waf::postanalytics
