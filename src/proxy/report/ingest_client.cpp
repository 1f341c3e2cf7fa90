#include "proxy/report/ingest_client.hpp"

#include <asio/connect.hpp>
#include <asio/write.hpp>
#include <fmt/format.h>

namespace waf::proxy::report {
namespace {
constexpr std::size_t kMaxResponseHeadBytes = 64 * 1024;
constexpr std::size_t kReadBytes = 16 * 1024;
}  // namespace

IngestClient::IngestClient(asio::io_context& io, net::HostPort target, std::chrono::milliseconds timeout)
    : target_(std::move(target)),
      host_header_(target_.to_string()),
      timeout_(timeout),
      socket_(io),
      timer_(io),
      codec_(Http1Codec::Kind::response, kMaxResponseHeadBytes,
             [](void* self, std::string_view data) { static_cast<IngestClient*>(self)->response_.body.append(data); }, this) {}

IngestClient::~IngestClient() { close(); }

void IngestClient::close() noexcept {
  asio::error_code ignored;
  socket_.close(ignored);
}

void IngestClient::exchange(std::string request, Done done) {
  request_ = std::move(request);
  done_ = std::move(done);
  response_ = {};
  arm_deadline();
  if (socket_.is_open()) {
    reused_ = true;
    return do_write();
  }
  do_connect();
}

void IngestClient::arm_deadline() {
  timer_.expires_after(timeout_);
  timer_.async_wait([this, epoch = epoch_](const asio::error_code& ec) {
    if (!ec && epoch == epoch_) fail("timeout", asio::error::timed_out);
  });
}

void IngestClient::do_connect() {
  reused_ = false;
  // Blocking getaddrinfo, on the reporter thread: never on a worker.
  auto addresses = net::resolve(target_);
  if (!addresses) return finish(make_error(fmt::format("resolve {}: {}", host_header_, addresses.error().message)));
  std::vector<asio::ip::tcp::endpoint> endpoints;
  for (const auto& a : *addresses) {
    asio::error_code ec;
    const auto address = asio::ip::make_address(a, ec);
    if (!ec) endpoints.emplace_back(address, target_.port);
  }
  asio::async_connect(socket_, endpoints, [this, epoch = epoch_](const asio::error_code& ec, const asio::ip::tcp::endpoint&) {
    if (epoch != epoch_) return;
    if (ec) return fail("connect", ec);
    asio::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    do_write();
  });
}

void IngestClient::do_write() {
  codec_.reset();
  in_.clear();
  in_begin_ = 0;
  asio::async_write(socket_, asio::buffer(request_), [this, epoch = epoch_](const asio::error_code& ec, std::size_t) {
    if (epoch != epoch_) return;
    if (ec) return fail("write", ec);
    do_read();
  });
}

void IngestClient::do_read() {
  const std::size_t old = in_.size();
  in_.resize(old + kReadBytes);
  socket_.async_read_some(asio::buffer(in_.data() + old, kReadBytes), [this, old, epoch = epoch_](const asio::error_code& ec, std::size_t n) {
    if (epoch != epoch_) return;
    in_.resize(old + n);
    if (ec) {
      // A body delimited by the connection's end. Without a byte of this response, the EOF is a
      // kept-alive connection the server closed, not an answer.
      if (ec == asio::error::eof && !in_.empty() && codec_.finish() == CodecEvent::message_complete) {
        response_.status = codec_.head().status;
        close();
        return finish(std::move(response_));
      }
      return fail("read", ec);
    }
    for (;;) {
      std::size_t consumed = 0;
      const auto event = codec_.dispatch(std::string_view(in_).substr(in_begin_), consumed);
      in_begin_ += consumed;
      switch (event) {
        case CodecEvent::need_more: return do_read();
        case CodecEvent::head_complete: continue;
        case CodecEvent::message_complete: {
          const auto& head = codec_.head();
          if (head.status >= 100 && head.status < 200) {
            codec_.reset();
            continue;
          }
          response_.status = head.status;
          if (const auto* etag = head.find("etag")) response_.etag = etag->value;
          if (!codec_.keep_alive()) close();
          return finish(std::move(response_));
        }
        case CodecEvent::upgrade:
        case CodecEvent::error: return fail("response", asio::error::invalid_argument);
      }
    }
  });
}

void IngestClient::fail(std::string_view what, const asio::error_code& ec) {
  close();
  // A kept-alive connection the server closed while idle (it restarted, or timed the connection
  // out) fails at once: that says nothing about the server, so try once on a new connection.
  if (reused_ && ec != asio::error::timed_out && response_.status == 0 && in_.size() == 0) {
    ++epoch_;
    arm_deadline();
    return do_connect();
  }
  finish(make_error(fmt::format("{}: {}", what, ec.message())));
}

void IngestClient::finish(Result<IngestResponse> result) {
  ++epoch_;
  timer_.cancel();
  auto done = std::move(done_);
  done_ = nullptr;
  done(std::move(result));
}

}  // namespace waf::proxy::report
