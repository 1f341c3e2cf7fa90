#include "postanalytics/export/syslog_sink.hpp"

#include <unistd.h>

#include <chrono>

#include "engine/event.hpp"

namespace waf::postanalytics {
namespace {

// The largest UDP payload over IPv4; RFC 5426 leaves longer messages to truncation.
constexpr std::size_t kMaxDatagramBytes = 65'507;
constexpr std::chrono::milliseconds kTcpTimeout{2000};

}  // namespace

SyslogSink::SyslogSink(SyslogTarget target, SyslogIdentity identity)
    : target_(std::move(target)), identity_(std::move(identity)) {}

Status SyslogSink::deliver(std::span<const std::string> lines) {
  const auto now = engine::format_time(std::chrono::system_clock::now());
  if (!socket_.is_open()) {
    auto socket = target_.transport == SyslogTarget::Transport::udp ? connect_udp(target_.host, target_.port)
                                                                    : connect_tcp(target_.host, target_.port, kTcpTimeout);
    if (!socket) return socket.error();
    socket_ = std::move(*socket);
  }
  if (target_.transport == SyslogTarget::Transport::udp) {
    for (const auto& line : lines) {
      auto message = format_syslog(line, identity_, now);
      if (message.size() > kMaxDatagramBytes) message.resize(kMaxDatagramBytes);
      // A refused datagram (ICMP port unreachable) fails the next send; the batch is retried.
      if (auto sent = socket_.send_all(message); !sent) {
        socket_.close();
        return sent;
      }
    }
    return Ok{};
  }
  std::string frames;
  for (const auto& line : lines) frames += frame_octet_counting(format_syslog(line, identity_, now));
  if (auto sent = socket_.send_all(frames); !sent) {
    socket_.close();
    return sent;
  }
  return Ok{};
}

SyslogIdentity local_syslog_identity() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return {host, std::to_string(::getpid())};
}

}  // namespace waf::postanalytics
