#include "proxy/admin_server.hpp"

#include <asio/connect.hpp>
#include <asio/read_until.hpp>
#include <asio/steady_timer.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>
#include <fmt/format.h>

#include <memory>

namespace waf::proxy {

constexpr std::size_t kMaxAdminRequestBytes = 8 * 1024;
constexpr auto kReadyCheckTimeout = std::chrono::seconds(1);

class AdminServer::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(AdminServer& server, asio::ip::tcp::socket socket)
      : server_(server), socket_(std::move(socket)), buffer_(kMaxAdminRequestBytes), timer_(server.io_), probe_(server.io_) {}

  void start() {
    timer_.expires_after(std::chrono::seconds(5));
    timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
      if (!ec) self->close();
    });
    asio::async_read_until(socket_, buffer_, "\r\n\r\n", [self = shared_from_this()](const asio::error_code& ec, std::size_t) {
      if (ec) return self->close();
      self->route();
    });
  }

 private:
  void route() {
    std::istream in(&buffer_);
    std::string method, target;
    in >> method >> target;
    const auto path = target.substr(0, target.find('?'));
    if (method != "GET" && method != "HEAD") return respond(405, "text/plain", "method not allowed\n");
    if (path == "/healthz") return respond(200, "text/plain", "ok\n");
    if (path == "/metrics") return respond(200, "text/plain; version=0.0.4", server_.handlers_.registry.render());
    if (path == "/status") return respond(200, "application/json", server_.handlers_.status_json());
    if (path == "/readyz") return check_ready();
    respond(404, "text/plain", "not found\n");
  }

  // Ready means: not draining, and the app accepts a TCP connection right now.
  void check_ready() {
    if (server_.handlers_.draining()) return respond(503, "text/plain", "draining\n");
    timer_.expires_after(kReadyCheckTimeout);
    timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
      if (!ec) self->probe_.close();
    });
    asio::async_connect(probe_, server_.handlers_.upstream,
                        [self = shared_from_this()](const asio::error_code& ec, const asio::ip::tcp::endpoint&) {
                          asio::error_code ignored;
                          self->probe_.close(ignored);
                          if (ec) return self->respond(503, "text/plain", "upstream unreachable\n");
                          self->respond(200, "text/plain", "ready\n");
                        });
  }

  void respond(int status, std::string_view type, std::string body) {
    timer_.cancel();
    response_ = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}", status,
                            status == 200 ? "OK" : status == 404 ? "Not Found" : status == 405 ? "Method Not Allowed" : "Service Unavailable",
                            type, body.size(), body);
    asio::async_write(socket_, asio::buffer(response_), [self = shared_from_this()](const asio::error_code&, std::size_t) { self->close(); });
  }

  void close() {
    asio::error_code ignored;
    timer_.cancel();
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  AdminServer& server_;
  asio::ip::tcp::socket socket_;
  asio::streambuf buffer_;
  asio::steady_timer timer_;
  asio::ip::tcp::socket probe_;
  std::string response_;
};

AdminServer::AdminServer(asio::io_context& io, AdminHandlers handlers) : io_(io), acceptor_(io), handlers_(std::move(handlers)) {}

Result<asio::ip::tcp::endpoint> AdminServer::listen(const asio::ip::tcp::endpoint& at) {
  asio::error_code ec;
  acceptor_.open(at.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(at, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(fmt::format("--admin-listen: cannot listen on {}:{}: {}", at.address().to_string(), at.port(), ec.message()));
  auto bound = acceptor_.local_endpoint(ec);
  do_accept();
  return bound;
}

void AdminServer::stop() {
  asio::error_code ignored;
  acceptor_.close(ignored);
}

void AdminServer::do_accept() {
  acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) std::make_shared<Connection>(*this, std::move(socket))->start();
    do_accept();
  });
}

}  // namespace waf::proxy
