#include "proxy/session.hpp"

#include <asio/connect.hpp>
#include <asio/write.hpp>
#include <fmt/format.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>

#include <optional>

#include "common/log.hpp"
#include "proxy/worker.hpp"

namespace waf::proxy {
namespace {

constexpr std::size_t kReadBufferBytes = 16 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::uint64_t kMaxLingerBytes = 1024 * 1024;

// With iptables capture (init-iptables REDIRECTs each application port to the proxy), the port the
// client dialled is the app port to forward to. Without a redirect the kernel has no original
// destination (ENOENT) and --upstream applies.
std::optional<std::uint16_t> original_destination_port(asio::ip::tcp::socket& socket) {
  constexpr int kSoOriginalDst = 80;  // SO_ORIGINAL_DST (IPv4) and IP6T_SO_ORIGINAL_DST (IPv6)
  sockaddr_storage original{};
  socklen_t len = sizeof original;
  const bool v6 = socket.local_endpoint().address().is_v6();
  if (::getsockopt(socket.native_handle(), v6 ? SOL_IPV6 : SOL_IP, kSoOriginalDst, &original, &len) != 0) return std::nullopt;
  const auto port = original.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&original)->sin6_port)
                                                   : ntohs(reinterpret_cast<sockaddr_in*>(&original)->sin_port);
  asio::error_code ec;
  if (port == 0 || port == socket.local_endpoint(ec).port()) return std::nullopt;
  return port;
}

void append_chunk(std::string& out, std::string_view data) {
  if (data.empty()) return;
  out += fmt::format("{:x}\r\n", data.size());
  out.append(data);
  out += "\r\n";
}

}  // namespace

Session::Session(Worker& worker, asio::ip::tcp::socket client)
    : worker_(worker),
      client_(std::move(client)),
      upstream_(worker.io()),
      timer_(worker.io()),
      request_codec_(Http1Codec::Kind::request, worker.shared().options.max_header_bytes,
                     [](void* self, std::string_view data) { static_cast<Session*>(self)->sink_request_body(data); }, this),
      response_codec_(Http1Codec::Kind::response, 1024 * 1024,
                      [](void* self, std::string_view data) { static_cast<Session*>(self)->sink_response_body(data); }, this),
      in_(kReadBufferBytes),
      up_in_(kReadBufferBytes) {
  worker_.add(this);
  auto& m = worker_.shared().metrics;
  m.connections_active.inc();
  m.connections_total.inc();
}

Session::~Session() {
  worker_.remove(this);
  worker_.shared().metrics.connections_active.dec();
}

void Session::start() {
  asio::error_code ec;
  const auto peer = client_.remote_endpoint(ec);
  if (ec) return close();
  auto address = peer.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  peer_ip_ = address.to_string();
  peer_trusted_ = worker_.shared().options.trusted_proxies.contains(peer_ip_);
  client_.set_option(asio::ip::tcp::no_delay(true), ec);
  upstream_endpoints_ = worker_.shared().upstream;
  if (worker_.shared().options.original_dst) {
    if (const auto port = original_destination_port(client_)) {
      for (auto& e : upstream_endpoints_) e.port(*port);
    }
  }
  process_client();
}

void Session::drain() {
  draining_ = true;
  if (phase_ == Phase::reading_head && !head_started_ && in_begin_ == in_end_) close();
}

// ---- client -> request codec -------------------------------------------------------------

void Session::process_client() {
  for (;;) {
    std::size_t consumed = 0;
    const auto event = request_codec_.dispatch(std::string_view(in_.data() + in_begin_, in_end_ - in_begin_), consumed);
    in_begin_ += consumed;
    if (consumed > 0 && phase_ == Phase::reading_head) head_started_ = true;
    switch (event) {
      case CodecEvent::need_more:
        if (phase_ == Phase::holding_body && held_.size() >= hold_limit_) {
          return decide_after_body();
        }
        if (phase_ == Phase::sending_request && !to_upstream_.empty()) return do_write_upstream();
        return do_read_client();
      case CodecEvent::head_complete:
        return on_request_head();
      case CodecEvent::upgrade:
        upgrade_requested_ = true;
        [[fallthrough]];
      case CodecEvent::message_complete:
        request_done_ = true;
        return on_request_complete();
      case CodecEvent::error: {
        const auto reason = request_codec_.error();
        worker_.shared().metrics.count_rejected(reason);
        log::info("request_rejected", {{"client_ip", peer_ip_}, {"reason", request_codec_.error_reason()}});
        return respond_locally(400, "bad_request");
      }
    }
  }
}

void Session::do_read_client() {
  if (in_begin_ == in_end_) in_begin_ = in_end_ = 0;
  if (in_end_ == in_.size()) {  // only a paused parse leaves bytes behind; make room for more
    std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
    in_end_ -= in_begin_;
    in_begin_ = 0;
  }
  if (phase_ == Phase::reading_head) {
    if (draining_ && !head_started_) return close();
    // A new connection gets the header timeout for its first request, not the keep-alive idle
    // one: a client that connects and says nothing must not hold a connection for a minute.
    arm(head_started_ || exchanges_ == 0 ? Deadline::header : Deadline::idle);
  } else {
    arm(Deadline::client_body);
  }
  client_.async_read_some(asio::buffer(in_.data() + in_end_, in_.size() - in_end_),
                          [self = shared_from_this(), epoch = epoch_](const asio::error_code& ec, std::size_t n) {
                            if (epoch == self->epoch_) self->on_read_client(ec, n);
                          });
}

void Session::on_read_client(const asio::error_code& ec, std::size_t n) {
  if (ec) {
    // The client went away: before a request that is the normal end of keep-alive; mid-request
    // there is nobody left to answer.
    return close();
  }
  in_end_ += n;
  process_client();
}

bool Session::expect_continue() const {
  const auto* expect = request_.find("expect");
  return expect != nullptr && !request_.is_http10() && strcasecmp(expect->value.c_str(), "100-continue") == 0;
}

void Session::on_request_head() {
  request_ = request_codec_.head();
  started_ = std::chrono::steady_clock::now();
  const auto& shared = worker_.shared();
  const auto* incoming_id = request_.find("x-request-id");
  request_id_ = peer_trusted_ && incoming_id != nullptr && is_acceptable_request_id(incoming_id->value)
                    ? incoming_id->value
                    : worker_.next_request_id();
  if (const auto check = check_request_head(request_); check.error != CodecError::none) {
    shared.metrics.count_rejected(check.error);
    log::info("request_rejected", {{"client_ip", peer_ip_}, {"reason", check.reason}, {"request_id", request_id_}});
    return respond_locally(400, "bad_request");
  }
  client_ip_ = real_client_ip(request_, peer_ip_, peer_trusted_, shared.options.trusted_proxies);
  auto decision = shared.hook.on_request_head({request_, client_ip_, request_id_});
  if (decision.attack) attack_ = std::move(decision.attack);
  if (decision.action == HookAction::block) {
    return respond_locally(decision.status, "blocked", decision.content_type, decision.body);
  }
  holding_ = decision.action == HookAction::inspect_body;
  hold_limit_ = decision.hold_bytes;
  phase_ = holding_ ? Phase::holding_body : Phase::connecting;
  if (expect_continue()) {
    to_client_.assign(kContinue);
    return do_write_client(AfterWrite::resume_request);
  }
  proceed_after_head();
}

void Session::proceed_after_head() {
  // A request without a body is complete already: let the codec say so first, so the whole
  // request is known (and can be replayed on a stale pooled connection) before it is sent.
  const bool has_body = request_.chunked || request_.content_length > 0;
  if (holding_ || !has_body) return process_client();
  start_upstream();
}

void Session::on_request_complete() {
  switch (phase_) {
    case Phase::holding_body: return decide_after_body();
    case Phase::connecting: return start_upstream();  // a request without a body
    case Phase::sending_request:
      if (request_.chunked) to_upstream_ += "0\r\n\r\n";
      return do_write_upstream();
    default: return close();
  }
}

void Session::decide_after_body() {
  holding_ = false;
  auto decision = worker_.shared().hook.on_request_body({request_, client_ip_, request_id_}, held_, !request_done_);
  if (decision.attack) attack_ = std::move(decision.attack);
  if (decision.action == HookAction::block) {
    return respond_locally(decision.status, "blocked", decision.content_type, decision.body);
  }
  phase_ = Phase::connecting;
  start_upstream();
}

void Session::sink_request_body(std::string_view data) {
  if (!holding_) return frame_request_body(data);
  const auto take = std::min<std::size_t>(data.size(), hold_limit_ > held_.size() ? hold_limit_ - held_.size() : 0);
  held_.append(data.substr(0, take));
  overflow_.append(data.substr(take));
}

void Session::frame_request_body(std::string_view data) {
  if (request_.chunked) append_chunk(to_upstream_, data);
  else to_upstream_.append(data);
}

// ---- upstream exchange ------------------------------------------------------------------

void Session::start_upstream() {
  ForwardContext ctx{client_ip_, peer_ip_, peer_trusted_, request_id_};
  to_upstream_ = build_upstream_request(request_, ctx);
  frame_request_body(held_);
  frame_request_body(overflow_);
  held_.clear();
  overflow_.clear();
  if (request_done_ && request_.chunked) to_upstream_ += "0\r\n\r\n";
  if (request_done_) replay_ = to_upstream_;
  phase_ = Phase::connecting;
  if (auto pooled = worker_.pool().take(upstream_endpoints_.front().port())) {
    upstream_ = std::move(*pooled);
    from_pool_ = true;
    worker_.shared().metrics.upstream_reused.inc();
    return do_write_upstream();
  }
  do_connect();
}

void Session::do_connect() {
  from_pool_ = false;
  arm(Deadline::upstream_connect);
  asio::async_connect(upstream_, upstream_endpoints_,
                      [self = shared_from_this(), epoch = epoch_](const asio::error_code& ec, const asio::ip::tcp::endpoint&) {
                        if (epoch == self->epoch_) self->on_connect(ec);
                      });
}

void Session::on_connect(const asio::error_code& ec) {
  if (ec) {
    log::warn("upstream_connect_failed", {{"error", ec.message()}, {"request_id", request_id_}});
    return upstream_failed(UpstreamError::connect_refused, 502);
  }
  worker_.shared().metrics.upstream_opened.inc();
  asio::error_code ignored;
  upstream_.set_option(asio::ip::tcp::no_delay(true), ignored);
  do_write_upstream();
}

void Session::do_write_upstream() {
  phase_ = Phase::sending_request;
  arm(Deadline::upstream_response);
  asio::async_write(upstream_, asio::buffer(to_upstream_),
                    [self = shared_from_this(), epoch = epoch_](const asio::error_code& ec, std::size_t) {
                      if (epoch == self->epoch_) self->on_write_upstream(ec);
                    });
}

void Session::on_write_upstream(const asio::error_code& ec) {
  if (ec) {
    if (retry_on_fresh_connection()) return;
    return upstream_failed(UpstreamError::reset, 502);
  }
  to_upstream_.clear();
  if (request_done_) return await_response();
  process_client();  // stream the rest of the body
}

bool Session::retry_on_fresh_connection() {
  // A pooled connection the app closed just as we reused it: the request never reached the app,
  // so sending it again on a new connection is safe when we still have all of it.
  if (!from_pool_ || retried_ || replay_.empty() || response_started_) return false;
  retried_ = true;
  asio::error_code ignored;
  upstream_.close(ignored);
  to_upstream_ = replay_;
  response_codec_.reset(request_.method == "HEAD");
  up_begin_ = up_end_ = 0;
  do_connect();
  return true;
}

void Session::upstream_failed(UpstreamError kind, int status) {
  worker_.shared().metrics.count_upstream_error(kind);
  asio::error_code ignored;
  upstream_.close(ignored);
  if (response_head_sent_) return close();
  respond_locally(status, status == 504 ? "upstream_timeout" : "upstream_unavailable");
}

void Session::await_response() {
  phase_ = Phase::awaiting_response;
  response_codec_.reset(request_.method == "HEAD");
  response_head_seen_ = false;
  up_begin_ = up_end_ = 0;
  do_read_upstream();
}

void Session::do_read_upstream() {
  if (up_begin_ == up_end_) up_begin_ = up_end_ = 0;
  arm(Deadline::upstream_response);
  upstream_.async_read_some(asio::buffer(up_in_.data() + up_end_, up_in_.size() - up_end_),
                            [self = shared_from_this(), epoch = epoch_](const asio::error_code& ec, std::size_t n) {
                              if (epoch == self->epoch_) self->on_read_upstream(ec, n);
                            });
}

void Session::on_read_upstream(const asio::error_code& ec, std::size_t n) {
  if (ec) {
    if (ec == asio::error::eof && response_head_sent_ && response_codec_.finish() == CodecEvent::message_complete) {
      upstream_reusable_ = false;
      response_done_ = true;
      if (response_framing_ == BodyFraming::chunked) to_client_ += "0\r\n\r\n";
      return do_write_client(AfterWrite::finish_exchange);
    }
    if (!response_started_ && retry_on_fresh_connection()) return;
    return upstream_failed(UpstreamError::reset, 502);
  }
  response_started_ = true;
  up_end_ += n;
  process_upstream();
}

void Session::process_upstream() {
  for (;;) {
    std::size_t consumed = 0;
    const auto event = response_codec_.dispatch(std::string_view(up_in_.data() + up_begin_, up_end_ - up_begin_), consumed);
    up_begin_ += consumed;
    switch (event) {
      case CodecEvent::need_more:
        if (!to_client_.empty()) return do_write_client(AfterWrite::read_upstream);
        return do_read_upstream();
      case CodecEvent::head_complete:
        on_response_head();
        response_head_seen_ = true;
        continue;
      case CodecEvent::message_complete: {
        const int status = response_codec_.head().status;
        if (!response_head_seen_) on_response_head();  // bodiless responses never pause at the head
        response_head_seen_ = false;
        if (status >= 100 && status < 200) continue;   // an interim response; the final one follows
        response_done_ = true;
        if (response_framing_ == BodyFraming::chunked) to_client_ += "0\r\n\r\n";
        upstream_reusable_ = response_codec_.keep_alive() && up_begin_ == up_end_;
        return do_write_client(AfterWrite::finish_exchange);
      }
      case CodecEvent::upgrade:
        if (!response_head_seen_) on_response_head();
        return do_write_client(upgrade_requested_ ? AfterWrite::start_tunnel : AfterWrite::close);
      case CodecEvent::error:
        log::warn("upstream_bad_response", {{"reason", response_codec_.error_reason()}, {"request_id", request_id_}});
        return upstream_failed(UpstreamError::reset, 502);
    }
  }
}

void Session::on_response_head() {
  const auto& head = response_codec_.head();
  const bool http10 = request_.is_http10();
  if (head.status >= 100 && head.status < 200 && head.status != 101) {
    // 1xx before the final response: HTTP/1.0 clients must not see them (RFC 9110 section 15.2).
    if (!http10) to_client_ += build_client_response_head(head, BodyFraming::none, true, false, request_id_);
    return;
  }
  phase_ = Phase::sending_response;
  status_ = head.status;
  response_framing_ = response_framing(head, response_codec_.body_until_close(), request_.method == "HEAD", http10);
  client_keep_alive_ = request_codec_.keep_alive() && !draining_ && !worker_.shared().draining.load() &&
                       head.status != 101 && response_framing_ != BodyFraming::until_close;
  to_client_ += build_client_response_head(head, response_framing_, client_keep_alive_, http10, request_id_);
  response_head_sent_ = true;
}

void Session::sink_response_body(std::string_view data) {
  switch (response_framing_) {
    case BodyFraming::chunked: append_chunk(to_client_, data); break;
    case BodyFraming::content_length:
    case BodyFraming::until_close: to_client_.append(data); break;
    case BodyFraming::none: break;
  }
}

// ---- client writes and the end of an exchange -------------------------------------------

void Session::do_write_client(AfterWrite then) {
  arm(Deadline::client_write);
  bytes_sent_ += to_client_.size();
  // The exchange is accounted for when its last bytes go to the socket, not when the write
  // completes: a client that has read its response and then asks /metrics must see it counted.
  if (then == AfterWrite::finish_exchange) record_exchange();
  asio::async_write(client_, asio::buffer(to_client_),
                    [self = shared_from_this(), epoch = epoch_, then](const asio::error_code& ec, std::size_t) {
                      if (epoch == self->epoch_) self->on_write_client(ec, then);
                    });
}

void Session::on_write_client(const asio::error_code& ec, AfterWrite then) {
  to_client_.clear();
  if (ec) return close();
  switch (then) {
    case AfterWrite::read_upstream: return do_read_upstream();
    case AfterWrite::finish_exchange: return finish_exchange();
    case AfterWrite::start_tunnel: return start_tunnel();
    case AfterWrite::close: return close();
    case AfterWrite::resume_request: return proceed_after_head();
  }
}

void Session::respond_locally(int status, std::string_view error, std::string content_type, std::string body) {
  ++epoch_;  // abandon whatever upstream operation was pending
  asio::error_code ignored;
  upstream_.close(ignored);
  status_ = status;
  client_keep_alive_ = false;
  if (request_id_.empty()) request_id_ = worker_.next_request_id();
  if (body.empty()) {
    to_client_ = build_local_response(status, error, request_id_, false);
  } else {
    to_client_ = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n"
                             "X-Request-Id: {}\r\nConnection: close\r\n\r\n{}",
                             status, reason_phrase(status), content_type, body.size(), request_id_, body);
  }
  response_done_ = true;
  upstream_reusable_ = false;
  do_write_client(AfterWrite::finish_exchange);
}

void Session::end_attack_report() {
  if (attack_) worker_.shared().hook.on_exchange_end(std::move(attack_), status_);
}

void Session::record_stats() {
  if (auto* stats = worker_.stats()) {
    stats->record(std::chrono::system_clock::now(), client_ip_.empty() ? std::string_view(peer_ip_) : std::string_view(client_ip_),
                  request_.method, request_.target, status_);
  }
}

void Session::record_exchange() {
  auto& shared = worker_.shared();
  end_attack_report();
  record_stats();
  shared.metrics.count_response(status_);
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (started_ != std::chrono::steady_clock::time_point{}) shared.metrics.request_duration.observe(elapsed);
  if (shared.access_log != nullptr) {
    shared.access_log->write({request_id_, client_ip_.empty() ? std::string_view(peer_ip_) : std::string_view(client_ip_),
                              request_.method, request_.target, status_, bytes_sent_, elapsed * 1000});
  }
}

void Session::finish_exchange() {
  auto& shared = worker_.shared();
  if (upstream_reusable_ && request_done_ && upstream_.is_open()) {
    worker_.pool().put(upstream_endpoints_.front().port(), std::move(upstream_));
    upstream_ = asio::ip::tcp::socket(worker_.io());
  } else {
    asio::error_code ignored;
    upstream_.close(ignored);
  }
  if (!client_keep_alive_ || !request_done_ || draining_ || shared.draining.load()) return close();
  ++exchanges_;
  reset_exchange();
  process_client();  // a pipelined request may already be buffered
}

void Session::reset_exchange() {
  phase_ = Phase::reading_head;
  request_ = MessageHead{};
  request_id_.clear();
  client_ip_.clear();
  head_started_ = request_done_ = upgrade_requested_ = holding_ = false;
  held_.clear();
  overflow_.clear();
  replay_.clear();
  from_pool_ = retried_ = response_started_ = response_head_sent_ = response_done_ = upstream_reusable_ = false;
  response_framing_ = BodyFraming::none;
  status_ = 0;
  bytes_sent_ = 0;
  started_ = {};
}

void Session::close() {
  if (phase_ == Phase::closed) return;
  end_attack_report();  // the connection ended mid-exchange: the client got no (whole) response
  phase_ = Phase::closed;
  ++epoch_;
  asio::error_code ignored;
  upstream_.close(ignored);
  client_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  // Lingering close (RFC 9112 section 9.6): bytes the client is still sending (the body of a
  // refused request) would make the kernel answer with a RST that can destroy the response we
  // just wrote. Read and discard them until the client closes, a bound, or a short deadline.
  timer_.expires_after(kLingerTime);
  timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    asio::error_code ignored_too;
    if (!ec) self->client_.close(ignored_too);
  });
  linger();
}

void Session::linger() {
  client_.async_read_some(asio::buffer(in_), [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
    self->lingered_bytes_ += n;
    if (!ec && self->lingered_bytes_ < kMaxLingerBytes) return self->linger();
    asio::error_code ignored;
    self->timer_.cancel();
    self->client_.close(ignored);
  });
}

// ---- upgraded connections ---------------------------------------------------------------

void Session::start_tunnel() {
  phase_ = Phase::tunnel;
  status_ = 101;
  end_attack_report();
  record_stats();
  worker_.shared().metrics.count_response(101);
  arm(Deadline::tunnel);
  pump(true);
  pump(false);
}

// Moves bytes one way: first whatever the codec left unparsed, then reads until EOF.
void Session::pump(bool client_to_upstream) {
  auto& from = client_to_upstream ? client_ : upstream_;
  auto& to = client_to_upstream ? upstream_ : client_;
  auto& buffer = client_to_upstream ? in_ : up_in_;
  auto& begin = client_to_upstream ? in_begin_ : up_begin_;
  auto& end = client_to_upstream ? in_end_ : up_end_;
  auto self = shared_from_this();
  if (begin < end) {
    asio::async_write(to, asio::buffer(buffer.data() + begin, end - begin),
                      [self, client_to_upstream, epoch = epoch_](const asio::error_code& ec, std::size_t) {
                        if (epoch != self->epoch_) return;
                        if (ec) return self->close();
                        auto& b = client_to_upstream ? self->in_begin_ : self->up_begin_;
                        auto& e = client_to_upstream ? self->in_end_ : self->up_end_;
                        b = e = 0;
                        self->arm(Deadline::tunnel);
                        self->pump(client_to_upstream);
                      });
    return;
  }
  from.async_read_some(asio::buffer(buffer), [self, client_to_upstream, epoch = epoch_](const asio::error_code& ec, std::size_t n) {
    if (epoch != self->epoch_) return;
    if (ec) {
      // One side finished: pass the half-close on, and end the tunnel once both sides are done.
      asio::error_code ignored;
      (client_to_upstream ? self->upstream_ : self->client_).shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
      if (self->tunnel_closing_ || ec != asio::error::eof) return self->close();
      self->tunnel_closing_ = true;
      return;
    }
    auto& e = client_to_upstream ? self->in_end_ : self->up_end_;
    auto& b = client_to_upstream ? self->in_begin_ : self->up_begin_;
    b = 0;
    e = n;
    self->pump(client_to_upstream);
  });
}

// ---- deadlines --------------------------------------------------------------------------

void Session::arm(Deadline kind) {
  const auto& o = worker_.shared().options;
  std::chrono::milliseconds d{};
  switch (kind) {
    case Deadline::idle: d = o.idle_timeout; break;
    case Deadline::header: d = o.header_timeout; break;
    case Deadline::client_body: d = o.client_body_timeout; break;
    case Deadline::upstream_connect: d = o.upstream_connect_timeout; break;
    case Deadline::upstream_response: d = o.upstream_response_timeout; break;
    case Deadline::client_write: d = o.client_body_timeout; break;
    case Deadline::tunnel: d = o.tunnel_idle_timeout; break;
  }
  deadline_ = kind;
  deadline_at_ = std::chrono::steady_clock::now() + d;
  // A pending wait that ends no later than the new deadline is kept: on_deadline() waits again
  // for the rest. Re-arming the timer on every read and write (a cancelled wait, a requeued timer,
  // a handler, the reactor's lock) was a tenth of the proxy's own work per request.
  if (deadline_wait_ && timer_.expiry() <= deadline_at_) return;
  wait_for_deadline();
}

void Session::wait_for_deadline() {
  timer_.expires_at(deadline_at_);  // a pending wait ends with operation_aborted
  deadline_wait_ = true;
  timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) { self->on_deadline(ec); });
}

void Session::on_deadline(const asio::error_code& ec) {
  // An aborted wait was replaced by a sooner one (or by close()'s linger).
  if (ec == asio::error::operation_aborted || phase_ == Phase::closed) return;
  deadline_wait_ = false;
  // The wait was for an earlier deadline, since moved on by arm().
  if (deadline_at_ > std::chrono::steady_clock::now()) return wait_for_deadline();
  switch (deadline_) {
    case Deadline::idle: return close();
    case Deadline::header:
      if (!head_started_) return close();  // nothing was asked: nothing to answer
      [[fallthrough]];
    case Deadline::client_body:
      ++epoch_;
      if (response_head_sent_) return close();
      return respond_locally(408, "request_timeout");
    case Deadline::upstream_connect:
      ++epoch_;
      return upstream_failed(UpstreamError::connect_timeout, 504);
    case Deadline::upstream_response:
      ++epoch_;
      return upstream_failed(UpstreamError::response_timeout, 504);
    case Deadline::client_write:
    case Deadline::tunnel: return close();
  }
}

}  // namespace waf::proxy
