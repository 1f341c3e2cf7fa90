#pragma once
// Blocking sockets with timeouts for the worker threads of postanalytics that talk to the outside
// (the Redis client, the webhook and syslog exporters). Never used on an Asio thread: every call
// may wait up to its timeout.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace waf::postanalytics {

class BlockingSocket {
 public:
  BlockingSocket() = default;
  explicit BlockingSocket(int fd) : fd_(fd) {}
  ~BlockingSocket() { close(); }
  BlockingSocket(BlockingSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  BlockingSocket& operator=(BlockingSocket&& other) noexcept;
  BlockingSocket(const BlockingSocket&) = delete;
  BlockingSocket& operator=(const BlockingSocket&) = delete;

  bool is_open() const noexcept { return fd_ >= 0; }
  int fd() const noexcept { return fd_; }
  void close() noexcept;
  Status send_all(std::string_view bytes);
  // Bytes received (0: the peer closed), or an error (including the read timeout).
  Result<std::size_t> receive(char* buffer, std::size_t size);

 private:
  int fd_ = -1;
};

// Resolves host, connects within timeout (a blackholed address fails after it, not after the
// kernel's minutes) and sets the same timeout on every later send and receive.
Result<BlockingSocket> connect_tcp(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout);
// A connected UDP socket: send_all sends one datagram.
Result<BlockingSocket> connect_udp(const std::string& host, std::uint16_t port);

}  // namespace waf::postanalytics
