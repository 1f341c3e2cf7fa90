#pragma once
// One persistent HTTP/1.1 keep-alive connection to postanalytics, one exchange at a time, on the
// reporter's io_context. Connects (resolving the name again each time, so a Service that moved is
// found) when there is no connection; every exchange has a deadline; any failure closes the
// connection and the next exchange opens a new one.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/net/endpoint.hpp"
#include "common/result.hpp"
#include "proxy/http1_codec.hpp"

namespace waf::proxy::report {

struct IngestResponse {
  int status = 0;
  std::string etag;
  std::string body;
};

class IngestClient {
 public:
  using Done = std::function<void(Result<IngestResponse>)>;
  IngestClient(asio::io_context& io, net::HostPort target, std::chrono::milliseconds timeout);
  ~IngestClient();
  IngestClient(const IngestClient&) = delete;
  IngestClient& operator=(const IngestClient&) = delete;

  // Sends `request` (complete bytes) and calls `done` once, with the response or the error. Only
  // one exchange at a time: the caller waits for `done` before the next.
  void exchange(std::string request, Done done);
  bool busy() const noexcept { return static_cast<bool>(done_); }
  void close() noexcept;
  const std::string& host_header() const noexcept { return host_header_; }

 private:
  void arm_deadline();
  void do_connect();
  void do_write();
  void do_read();
  void finish(Result<IngestResponse> result);
  void fail(std::string_view what, const asio::error_code& ec);

  net::HostPort target_;
  std::string host_header_;
  std::chrono::milliseconds timeout_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  Http1Codec codec_;
  std::string request_;
  std::string in_;
  std::size_t in_begin_ = 0;
  IngestResponse response_;
  Done done_;
  bool reused_ = false;      // this exchange runs on a connection an earlier one left open
  std::uint64_t epoch_ = 0;  // bumped when an exchange ends: late callbacks of it return
};

}  // namespace waf::proxy::report
