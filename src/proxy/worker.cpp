#include "proxy/worker.hpp"

#include <asio/post.hpp>
#include <asio/write.hpp>
#include <fmt/format.h>
#include <sys/socket.h>

#include "common/log.hpp"
#include "proxy/forwarding.hpp"
#include "proxy/session.hpp"

namespace waf::proxy {

Worker::Worker(SharedState& shared, unsigned index)
    : shared_(shared), index_(index), acceptor_(ioc_), pool_(shared.options.upstream_max_idle), random_(std::random_device{}()),
      stats_(shared.reporter != nullptr ? &shared.reporter->worker_stats(index) : nullptr) {}

Result<asio::ip::tcp::endpoint> Worker::listen(const asio::ip::tcp::endpoint& at) {
  asio::error_code ec;
  acceptor_.open(at.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) {
    const int one = 1;
    if (::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
      ec = asio::error_code(errno, asio::system_category());
    }
  }
  if (!ec) acceptor_.bind(at, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(fmt::format("--listen: cannot listen on {}: {}", at.address().to_string() + ":" + std::to_string(at.port()), ec.message()));
  auto bound = acceptor_.local_endpoint(ec);
  do_accept();
  return bound;
}

void Worker::run() noexcept {
  try {
    ioc_.run();
  } catch (const std::exception& e) {
    log::error("worker_failed", {{"worker", index_}, {"error", e.what()}});
  }
}

void Worker::drain() {
  asio::post(ioc_, [this] {
    asio::error_code ignored;
    acceptor_.close(ignored);
    pool_.close_all();
    // drain() may close a session, which removes it from the set: iterate over a copy.
    const std::vector<Session*> sessions(sessions_.begin(), sessions_.end());
    for (auto* s : sessions) {
      if (sessions_.count(s) != 0) s->drain();
    }
  });
}

std::string Worker::next_request_id() { return fmt::format("{:016x}{:016x}", random_(), random_()); }

void Worker::do_accept() {
  acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void Worker::on_accept(const asio::error_code& ec, asio::ip::tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // EMFILE and friends: log, and keep accepting (the condition is usually transient).
    log::warn("accept_failed", {{"error", ec.message()}});
    return do_accept();
  }
  if (static_cast<std::uint64_t>(shared_.metrics.connections_active.value()) >= shared_.options.max_connections) {
    shared_.metrics.rejected_too_many_connections.inc();
    shared_.metrics.count_response(503);
    auto s = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
    auto response = std::make_shared<std::string>(build_local_response(503, "too_many_connections", next_request_id(), false));
    asio::async_write(*s, asio::buffer(*response), [s, response](const asio::error_code&, std::size_t) {
      asio::error_code ignored;
      s->shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    });
    return do_accept();
  }
  std::make_shared<Session>(*this, std::move(socket))->start();
  do_accept();
}

}  // namespace waf::proxy
