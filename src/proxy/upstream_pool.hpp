#pragma once
// Idle keep-alive connections to the app, one pool per worker (no locks: a worker's sessions all
// run on its thread). Bounded by --upstream-max-idle; the most recently used connection is reused
// first since it is the least likely to have been closed by the app. Connections are keyed by the
// app port: with iptables capture one proxy serves every application port of the Pod.
#include <asio/ip/tcp.hpp>

#include <optional>
#include <vector>

namespace waf::proxy {

class UpstreamPool {
 public:
  explicit UpstreamPool(std::size_t max_idle) : max_idle_(max_idle) {}
  // A live idle connection, or nothing. Connections the app closed while idle are dropped here.
  std::optional<asio::ip::tcp::socket> take(std::uint16_t port);
  void put(std::uint16_t port, asio::ip::tcp::socket socket);
  void close_all();
  std::size_t idle() const noexcept { return idle_.size(); }

 private:
  std::size_t max_idle_;
  struct Idle {
    std::uint16_t port;
    asio::ip::tcp::socket socket;
  };
  std::vector<Idle> idle_;
};

}  // namespace waf::proxy
