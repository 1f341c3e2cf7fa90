#include "postanalytics/export/stdout_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace waf::postanalytics {

Status StdoutSink::deliver(std::span<const std::string> lines) {
  // One write per batch: whole lines only, never interleaved with another writer's partial line.
  std::string text;
  for (const auto& line : lines) {
    text += line;
    text.push_back('\n');
  }
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto n = ::write(fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(std::string("stdout: ") + std::strerror(errno));
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  return Ok{};
}

}  // namespace waf::postanalytics
