#include "postanalytics/export/blocking_socket.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "common/net/endpoint.hpp"

namespace waf::postanalytics {
namespace {

std::string errno_text() { return std::strerror(errno); }

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms.count() % 1000) * 1000);
  return tv;
}

// Connects fd to the numeric address within timeout_ms (-1: a UDP socket, which connects at once).
Status connect_numeric(int fd, const addrinfo& info, int timeout_ms) {
  int rc = ::connect(fd, info.ai_addr, info.ai_addrlen);
  if (rc != 0 && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    rc = ::poll(&p, 1, timeout_ms);
    int err = 0;
    socklen_t len = sizeof err;
    if (rc == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) return Ok{};
    errno = rc == 0 ? ETIMEDOUT : err;
    rc = -1;
  }
  if (rc != 0) return make_error(errno_text());
  return Ok{};
}

Result<BlockingSocket> connect_any(const std::string& host, std::uint16_t port, int type,
                                   std::chrono::milliseconds timeout) {
  auto addresses = net::resolve({host, port});
  if (!addresses) return addresses.error();
  std::string last_error = fmt::format("{}: no address", host);
  for (const auto& address : *addresses) {
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    hints.ai_socktype = type;
    addrinfo* info = nullptr;
    if (::getaddrinfo(address.c_str(), std::to_string(port).c_str(), &hints, &info) != 0) continue;
    BlockingSocket socket(::socket(info->ai_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!socket.is_open()) {
      ::freeaddrinfo(info);
      return make_error("socket: " + errno_text());
    }
    const auto connected = connect_numeric(socket.fd(), *info, static_cast<int>(timeout.count()));
    ::freeaddrinfo(info);
    if (!connected) {
      last_error = fmt::format("connect {}:{}: {}", address, port, connected.error().message);
      continue;
    }
    ::fcntl(socket.fd(), F_SETFL, ::fcntl(socket.fd(), F_GETFL) & ~O_NONBLOCK);
    const auto tv = to_timeval(timeout);
    ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (type == SOCK_STREAM) {
      const int one = 1;
      ::setsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return socket;
  }
  return make_error(last_error);
}

}  // namespace

BlockingSocket& BlockingSocket::operator=(BlockingSocket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void BlockingSocket::close() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status BlockingSocket::send_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error("send: " + errno_text());
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return Ok{};
}

Result<std::size_t> BlockingSocket::receive(char* buffer, std::size_t size) {
  for (;;) {
    const auto n = ::recv(fd_, buffer, size, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(errno == EAGAIN || errno == EWOULDBLOCK ? "receive: timed out" : "receive: " + errno_text());
    return static_cast<std::size_t>(n);
  }
}

Result<BlockingSocket> connect_tcp(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout) {
  return connect_any(host, port, SOCK_STREAM, timeout);
}

Result<BlockingSocket> connect_udp(const std::string& host, std::uint16_t port) {
  return connect_any(host, port, SOCK_DGRAM, std::chrono::milliseconds(1000));
}

}  // namespace waf::postanalytics
