#include "proxy/upstream_pool.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace waf::proxy {
namespace {

// An idle HTTP/1.1 connection must have nothing to read: 0 means the app closed it, bytes mean
// it sent something unsolicited. Either way it cannot carry the next request.
bool still_open(asio::ip::tcp::socket& socket) {
  char byte;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

std::optional<asio::ip::tcp::socket> UpstreamPool::take(std::uint16_t port) {
  for (auto i = idle_.size(); i-- > 0;) {
    if (idle_[i].port != port) continue;
    auto socket = std::move(idle_[i].socket);
    idle_.erase(idle_.begin() + static_cast<std::ptrdiff_t>(i));
    if (still_open(socket)) return socket;
    asio::error_code ignored;
    socket.close(ignored);
  }
  return std::nullopt;
}

void UpstreamPool::put(std::uint16_t port, asio::ip::tcp::socket socket) {
  if (idle_.size() >= max_idle_ || !socket.is_open()) {
    asio::error_code ignored;
    socket.close(ignored);
    return;
  }
  idle_.push_back({port, std::move(socket)});
}

void UpstreamPool::close_all() {
  for (auto& i : idle_) {
    asio::error_code ignored;
    i.socket.close(ignored);
  }
  idle_.clear();
}

}  // namespace waf::proxy
