#include "proxy/access_log.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "common/json_writer.hpp"

namespace waf::proxy {

Result<std::unique_ptr<AccessLog>> AccessLog::open(const std::string& destination) {
  if (destination == "-") return std::unique_ptr<AccessLog>(new AccessLog(stdout, false));
  std::FILE* f = std::fopen(destination.c_str(), "a");
  if (f == nullptr) return make_error(fmt::format("--access-log: cannot open '{}': {}", destination, std::strerror(errno)));
  return std::unique_ptr<AccessLog>(new AccessLog(f, true));
}

AccessLog::~AccessLog() {
  if (owned_) std::fclose(file_);
  else std::fflush(file_);
}

void AccessLog::write(const AccessRecord& r) {
  std::string line;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch()).count();
  auto q = r.target.find('?');
  json::ObjectWriter(line)
      .field("time_ms", static_cast<std::int64_t>(now))
      .field("request_id", r.request_id)
      .field("client_ip", r.client_ip)
      .field("method", r.method)
      .field("path", r.target.substr(0, q))
      .field("status", r.status)
      .field("bytes_sent", r.bytes_sent)
      .field("duration_ms", r.duration_ms)
      .close();
  line.push_back('\n');
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

}  // namespace waf::proxy
