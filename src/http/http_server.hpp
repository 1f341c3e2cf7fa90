#pragma once
// HTTP/1.1 server shell for the webhook (TLS) and the admin port (plain): a listener that accepts
// and a session per connection in do_x/on_x pairs (as Beast's async server), each step under a
// deadline. All of it runs on one io_context thread; handlers are called on that thread.
#include <asio.hpp>
#include <asio/ssl.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "http/http_message.hpp"

namespace waf::http {

// The address a listen flag names (":8080" is every IPv4 interface; a host is resolved once), or an
// error naming the flag.
Result<asio::ip::tcp::endpoint> listen_endpoint(std::string_view flag, const std::string& text);
// "127.0.0.1:8080", "[::1]:8080": what the "listening" log lines say.
std::string endpoint_text(const asio::ip::tcp::endpoint& endpoint);

struct ServerLimits {
  // An AdmissionReview of a large Pod is tens of KiB; the API server itself caps requests at 3 MiB.
  std::size_t max_body_bytes = 3 * 1024 * 1024;
  std::size_t max_head_bytes = 16 * 1024;
  std::chrono::milliseconds read_timeout{10'000};
  // The API server keeps webhook connections open and reuses them (its idle timeout is 90s).
  std::chrono::milliseconds idle_timeout{120'000};
  std::size_t max_connections = 1024;
};

struct HttpHandlers {
  std::function<HttpResponse(const HttpRequest&)> handle;
  // Builds the answer to a request that could not be read (400, 413, 431).
  std::function<HttpResponse(int status, std::string_view message)> error;
};

// Sends the answer of one request; call it exactly once, on the listener's io_context thread.
using Respond = std::function<void(HttpResponse)>;

// For handlers that answer later (postanalytics acknowledges a batch after its fsync): the
// connection reads nothing more until `respond` is called.
struct AsyncHttpHandlers {
  std::function<void(HttpRequest&&, Respond respond)> handle;
  std::function<HttpResponse(int status, std::string_view message)> error;
};

// The current TLS context: called for each new connection, so a reloaded certificate is used by
// the next handshake while open connections keep theirs. Null for a plain listener.
using TlsContextProvider = std::function<std::shared_ptr<asio::ssl::context>()>;

class HttpListener {
 public:
  HttpListener(asio::io_context& io, HttpHandlers handlers, TlsContextProvider tls, ServerLimits limits = {});
  HttpListener(asio::io_context& io, AsyncHttpHandlers handlers, TlsContextProvider tls, ServerLimits limits = {});
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Binds (port 0 allowed) and returns the bound address.
  Result<asio::ip::tcp::endpoint> open(const asio::ip::tcp::endpoint& at);
  void start();
  // Stops accepting; open connections go on.
  void stop();
  // Stops accepting and ends every connection gracefully: an idle one closes now, one with a
  // request in progress closes after writing its answer (with Connection: close).
  void drain();

  struct State;  // shared with the sessions, which may outlive a stopped listener

 private:
  void do_accept();
  asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<State> state_;
};

}  // namespace waf::http
