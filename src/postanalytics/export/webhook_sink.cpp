#include "postanalytics/export/webhook_sink.hpp"

#include <fmt/format.h>

#include "postanalytics/export/blocking_socket.hpp"

namespace waf::postanalytics {
namespace {

constexpr std::chrono::milliseconds kTimeout{5000};
constexpr std::size_t kMaxResponseHead = 16 * 1024;

}  // namespace

Status WebhookSink::deliver(std::span<const std::string> lines) {
  auto socket = connect_tcp(url_.host, url_.port, kTimeout);
  if (!socket) return make_error("webhook: " + socket.error().message);
  if (auto sent = socket->send_all(webhook_request(url_, webhook_body(lines))); !sent) {
    return make_error("webhook: " + sent.error().message);
  }
  // Only the status line matters; the body, if any, is not read.
  std::string head;
  char buffer[4096];
  while (head.find("\r\n") == std::string::npos && head.size() < kMaxResponseHead) {
    auto n = socket->receive(buffer, sizeof buffer);
    if (!n) return make_error("webhook: " + n.error().message);
    if (*n == 0) break;
    head.append(buffer, *n);
  }
  auto status = parse_status_line(head);
  if (!status) return make_error("webhook: " + status.error().message);
  if (*status < 200 || *status > 299) return make_error(fmt::format("webhook: answered {}", *status));
  return Ok{};
}

}  // namespace waf::postanalytics
