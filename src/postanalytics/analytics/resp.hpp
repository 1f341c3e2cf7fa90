#pragma once
// RESP2, the Redis serialization protocol (https://redis.io/docs/reference/protocol-spec/):
// commands out as arrays of bulk strings, replies in as simple strings, errors, integers, bulk
// strings (or nil) and arrays. Pure functions over bytes; the socket lives in redis_client.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace waf::postanalytics {

struct RespValue {
  enum class Type { simple, error, integer, bulk, nil, array };
  Type type = Type::nil;
  std::string text;          // simple, error, bulk
  std::int64_t integer = 0;  // integer
  std::vector<RespValue> elements;  // array

  bool operator==(const RespValue&) const = default;
};

// Appends "*N\r\n$len\r\narg\r\n..." for one command.
void append_resp_command(std::string& out, std::span<const std::string> args);

// Limits on what a reply may claim, so a broken or hostile server cannot make us allocate
// gigabytes: our largest replies are HGETALL of the lists and MGET of one window.
inline constexpr std::int64_t kMaxRespBulkBytes = 16 << 20;
inline constexpr std::int64_t kMaxRespArrayElements = 4 << 20;
inline constexpr int kMaxRespDepth = 4;

// Parses one reply from the front of `in`. Returns the bytes it took, 0 when `in` holds only a
// prefix of a reply (read more), or an error for bytes that are not RESP2.
Result<std::size_t> parse_resp(std::string_view in, RespValue& out);

}  // namespace waf::postanalytics
