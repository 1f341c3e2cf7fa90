#include "http/http_server.hpp"

#include <fmt/format.h>

#include <array>
#include <type_traits>
#include <unordered_set>

#include "common/log.hpp"
#include "common/net/endpoint.hpp"

namespace waf::http {

using asio::ip::tcp;
using TlsStream = asio::ssl::stream<tcp::socket>;

namespace {

// What drain() needs of a session, whatever its stream type.
class Drainable {
 public:
  virtual void drain() = 0;

 protected:
  ~Drainable() = default;
};

}  // namespace

struct HttpListener::State {
  AsyncHttpHandlers handlers;
  TlsContextProvider tls;
  ServerLimits limits;
  std::unordered_set<Drainable*> sessions;  // touched on the io_context thread only
  bool draining = false;
};

namespace {

template <typename Stream>
class Session final : public std::enable_shared_from_this<Session<Stream>>, public Drainable {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  Session(Stream stream, std::shared_ptr<HttpListener::State> state, std::shared_ptr<asio::ssl::context> tls)
      : stream_(std::move(stream)), timer_(socket().get_executor()), state_(std::move(state)), tls_(std::move(tls)) {
    state_->sessions.insert(this);
  }
  ~Session() { state_->sessions.erase(this); }

  // Between requests the session only waits for bytes: closing the socket ends it. Otherwise the
  // answer in progress is written with Connection: close (do_write reads state_->draining).
  void drain() override {
    if (!busy_ && buffer_.empty() && !in_body_) {
      std::error_code ignored;
      socket().close(ignored);
    }
  }

  void start() {
    if constexpr (kTls) {
      arm(state_->limits.read_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](std::error_code ec) {
        if (ec) {
          log::debug("tls_handshake_failed", {{"error", ec.message()}});
          return self->do_close();
        }
        self->do_read();
      });
    } else {
      do_read();
    }
  }

 private:
  tcp::socket& socket() {
    if constexpr (kTls) return stream_.next_layer();
    else return stream_;
  }

  // One deadline per step: when it fires the socket closes and the pending operation fails.
  void arm(std::chrono::milliseconds timeout) {
    timer_.expires_after(timeout);
    timer_.async_wait([self = this->shared_from_this()](std::error_code ec) {
      if (!ec) {
        std::error_code ignored;
        self->socket().close(ignored);
      }
    });
  }

  void do_read() {
    arm(buffer_.empty() && !in_body_ ? state_->limits.idle_timeout : state_->limits.read_timeout);
    stream_.async_read_some(asio::buffer(chunk_), [self = this->shared_from_this()](std::error_code ec, std::size_t n) {
      self->on_read(ec, n);
    });
  }

  void on_read(std::error_code ec, std::size_t n) {
    if (ec) return do_close();
    buffer_.append(chunk_.data(), n);
    process();
  }

  // Handles every complete request in the buffer, one at a time (pipelined requests in order).
  void process() {
    const auto& limits = state_->limits;
    if (!in_body_) {
      auto head = parse_request_head(buffer_, limits.max_head_bytes);
      switch (head.status) {
        case HeadStatus::incomplete: return do_read();
        case HeadStatus::too_large: return fail(431, "request head too large");
        case HeadStatus::bad: return fail(400, head.error);
        case HeadStatus::complete: break;
      }
      if (head.request.content_length > limits.max_body_bytes) {
        return fail(413, fmt::format("body of {} bytes is over the {} byte limit", head.request.content_length,
                                     limits.max_body_bytes));
      }
      request_ = std::move(head.request);
      buffer_.erase(0, head.head_bytes);
      in_body_ = true;
    }
    if (buffer_.size() < request_.content_length) return do_read();
    request_.body = buffer_.substr(0, request_.content_length);
    buffer_.erase(0, request_.content_length);
    in_body_ = false;
    busy_ = true;
    timer_.cancel();  // the handler may take its time (an fsync); the write step re-arms
    const bool keep_alive = request_.keep_alive;
    state_->handlers.handle(std::move(request_), [self = this->shared_from_this(), keep_alive](HttpResponse response) {
      response.close = response.close || !keep_alive;
      self->do_write(std::move(response));
    });
  }

  void fail(int status, std::string_view message) {
    busy_ = true;
    linger_ = true;
    auto response = state_->handlers.error(status, message);
    response.close = true;
    do_write(std::move(response));
  }

  void do_write(HttpResponse response) {
    response.close = response.close || state_->draining;
    close_after_write_ = response.close;
    out_ = render_response(response);
    arm(state_->limits.read_timeout);
    asio::async_write(stream_, asio::buffer(out_), [self = this->shared_from_this()](std::error_code ec, std::size_t) {
      self->busy_ = false;
      if (!ec && self->linger_) return self->do_linger();
      if (ec || self->close_after_write_) return self->do_close();
      self->process();
    });
  }

  // After an error answer the client may still be sending the request (a 4 MiB batch that got a
  // 413): closing with unread bytes would reset the connection and lose the answer. Stop sending,
  // read and discard until the client closes or the deadline passes, then close.
  void do_linger() {
    std::error_code ignored;
    socket().shutdown(tcp::socket::shutdown_send, ignored);
    arm(state_->limits.read_timeout);  // one deadline for the whole drain
    do_linger_read();
  }
  void do_linger_read() {
    socket().async_read_some(asio::buffer(chunk_), [self = this->shared_from_this()](std::error_code ec, std::size_t) {
      if (ec) return self->do_close();
      self->do_linger_read();
    });
  }

  void do_close() {
    timer_.cancel();
    std::error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
  }

  Stream stream_;
  asio::steady_timer timer_;
  std::shared_ptr<HttpListener::State> state_;
  std::shared_ptr<asio::ssl::context> tls_;  // keeps the context of this connection's handshake alive
  std::array<char, 16 * 1024> chunk_{};
  std::string buffer_;
  HttpRequest request_;
  bool in_body_ = false;
  bool busy_ = false;  // a request is with the handler or its answer is being written
  bool close_after_write_ = false;
  bool linger_ = false;  // an error answer: drain what the client still sends before closing
  std::string out_;
};

}  // namespace

HttpListener::HttpListener(asio::io_context& io, HttpHandlers handlers, TlsContextProvider tls, ServerLimits limits)
    : HttpListener(io,
                   AsyncHttpHandlers{[handle = std::move(handlers.handle)](HttpRequest&& request,
                                                                          Respond respond) { respond(handle(request)); },
                                     std::move(handlers.error)},
                   std::move(tls), limits) {}

HttpListener::HttpListener(asio::io_context& io, AsyncHttpHandlers handlers, TlsContextProvider tls,
                           ServerLimits limits)
    : acceptor_(io), state_(std::make_shared<State>()) {
  state_->handlers = std::move(handlers);
  state_->tls = std::move(tls);
  state_->limits = limits;
}

HttpListener::~HttpListener() { stop(); }

Result<tcp::endpoint> HttpListener::open(const tcp::endpoint& at) {
  std::error_code ec;
  acceptor_.open(at.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(at, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(fmt::format("cannot listen on {}:{}: {}", at.address().to_string(), at.port(), ec.message()));
  auto bound = acceptor_.local_endpoint(ec);
  if (ec) return make_error(ec.message());
  return bound;
}

void HttpListener::start() { do_accept(); }

void HttpListener::stop() {
  std::error_code ignored;
  acceptor_.close(ignored);
}

void HttpListener::drain() {
  stop();
  state_->draining = true;
  // drain() may close a socket, whose session then ends later on this thread: copy first.
  const std::vector<Drainable*> sessions(state_->sessions.begin(), state_->sessions.end());
  for (Drainable* session : sessions) session->drain();
}

void HttpListener::do_accept() {
  acceptor_.async_accept([this, state = state_](std::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      log::warn("accept_failed", {{"error", ec.message()}});
    } else if (state->sessions.size() >= state->limits.max_connections) {
      log::warn("connection_refused", {{"reason", "too_many_connections"}});
    } else if (state->tls) {
      auto context = state->tls();
      TlsStream stream(std::move(socket), *context);
      std::make_shared<Session<TlsStream>>(std::move(stream), state, std::move(context))->start();
    } else {
      std::make_shared<Session<tcp::socket>>(std::move(socket), state, nullptr)->start();
    }
    if (acceptor_.is_open()) do_accept();
  });
}

Result<asio::ip::tcp::endpoint> listen_endpoint(std::string_view flag, const std::string& text) {
  auto hp = net::parse_host_port(text);
  if (!hp) return make_error(fmt::format("{}: {}", flag, hp.error().message));
  if (hp->host.empty()) return asio::ip::tcp::endpoint(asio::ip::tcp::v4(), hp->port);
  auto addresses = net::resolve(*hp);
  if (!addresses || addresses->empty()) return make_error(fmt::format("{}: cannot resolve '{}'", flag, hp->host));
  std::error_code ec;
  auto address = asio::ip::make_address(addresses->front(), ec);
  if (ec) return make_error(fmt::format("{}: bad address '{}'", flag, addresses->front()));
  return asio::ip::tcp::endpoint(address, hp->port);
}

std::string endpoint_text(const asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address().to_string();
  return endpoint.address().is_v6() ? fmt::format("[{}]:{}", address, endpoint.port())
                                    : fmt::format("{}:{}", address, endpoint.port());
}

}  // namespace waf::http
