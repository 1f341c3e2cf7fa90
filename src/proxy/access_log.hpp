#pragma once
// Optional access log: one JSON object per request, to stdout or a file, shared by all workers.
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace waf::proxy {

struct AccessRecord {
  std::string_view request_id, client_ip, method, target;
  int status = 0;
  std::uint64_t bytes_sent = 0;
  double duration_ms = 0;
};

class AccessLog {
 public:
  // "-" is stdout; anything else a file opened for appending.
  static Result<std::unique_ptr<AccessLog>> open(const std::string& destination);
  ~AccessLog();
  void write(const AccessRecord& record);

 private:
  explicit AccessLog(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
  std::mutex mutex_;
  std::FILE* file_;
  bool owned_;
};

}  // namespace waf::proxy
