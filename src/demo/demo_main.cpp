// `waf demo-app`: a tiny application to protect, for `make run`, the quickstarts and the e2e
// tests. It reuses the proxy's HTTP/1 codec.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/signal_set.hpp>
#include <asio/write.hpp>
#include <fmt/format.h>

#include "common/json_writer.hpp"
#include "common/log.hpp"
#include "common/net/endpoint.hpp"
#include "common/options.hpp"
#include "proxy/http1_codec.hpp"
#include "roles.hpp"

namespace waf::demo {
namespace {

using asio::ip::tcp;
constexpr std::size_t kMaxBodyBytes = 1024 * 1024;

constexpr std::string_view kHomePage = R"(<!doctype html>
<html><head><meta charset="utf-8"><title>waf demo app</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">
<h1>A demo app behind <code>waf proxy</code></h1>
<p>Everything you send here passed through the proxy first. Try a search:</p>
<form action="/api/echo" method="get"><input name="q" value="blue shoes"> <button>Search</button></form>
<p>Then try an attack and watch the proxy's log and <code>/metrics</code> on its admin port:
<code>/api/echo?id=1' OR '1'='1</code> or <code>/api/echo?file=../../etc/passwd</code>.</p>
</body></html>
)";

struct Response {
  int status;
  std::string type, body;
};

Response route(const proxy::MessageHead& head, std::string_view body) {
  const std::string_view target = head.target;
  const auto path = target.substr(0, target.find('?'));
  if (path == "/") return {200, "text/html; charset=utf-8", std::string(kHomePage)};
  if (path == "/healthz") return {200, "text/plain", "ok\n"};
  if (path == "/api/echo" || path.starts_with("/api/")) {
    std::string headers = "{";
    bool first = true;
    for (const auto& h : head.headers) {
      if (!first) headers += ',';
      first = false;
      json::append_string(headers, h.name);
      headers += ':';
      json::append_string(headers, h.value);
    }
    headers += '}';
    std::string out;
    json::ObjectWriter(out).field("method", head.method).field("target", head.target).raw("headers", headers).field("body", body).close();
    out += '\n';
    return {200, "application/json", out};
  }
  return {404, "text/plain", "not found\n"};
}

// One connection: parse a request with the proxy's codec, answer it, repeat while keep-alive.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  explicit Connection(tcp::socket socket)
      : socket_(std::move(socket)),
        codec_(proxy::Http1Codec::Kind::request, 64 * 1024,
               [](void* self, std::string_view data) {
                 auto& body = static_cast<Connection*>(self)->body_;
                 if (body.size() + data.size() <= kMaxBodyBytes) body.append(data);
               },
               this),
        buffer_(16 * 1024) {}

  void process() {
    for (;;) {
      std::size_t consumed = 0;
      const auto event = codec_.dispatch(std::string_view(buffer_.data() + begin_, end_ - begin_), consumed);
      begin_ += consumed;
      if (event == proxy::CodecEvent::need_more) return read();
      if (event == proxy::CodecEvent::error) return respond("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", false);
      if (event != proxy::CodecEvent::message_complete) continue;
      const auto r = route(codec_.head(), body_);
      const bool keep = codec_.keep_alive();
      body_.clear();
      return respond(fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}\r\n{}", r.status,
                                 r.status == 200 ? "OK" : "Not Found", r.type, r.body.size(), keep ? "" : "Connection: close\r\n",
                                 codec_.head().method == "HEAD" ? std::string() : r.body),
                     keep);
    }
  }

 private:
  void read() {
    begin_ = end_ = 0;
    socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
      if (ec) return;
      self->end_ = n;
      self->process();
    });
  }

  void respond(std::string wire, bool keep_alive) {
    out_ = std::move(wire);
    asio::async_write(socket_, asio::buffer(out_), [self = shared_from_this(), keep_alive](const asio::error_code& ec, std::size_t) {
      if (!ec && keep_alive) self->process();
    });
  }

  tcp::socket socket_;
  proxy::Http1Codec codec_;
  std::string body_, out_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
};

void accept_loop(tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](const asio::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) std::make_shared<Connection>(std::move(socket))->process();
    accept_loop(acceptor);
  });
}

}  // namespace

int run(int argc, const char* const* argv) {
  CLI::App app{"A tiny HTTP app to put behind the proxy: GET / (a page), /api/echo (echoes the request as JSON), /healthz", argv[0]};
  options::CommonOptions common;
  std::string listen = "127.0.0.1:8080";
  app.add_option("--listen", listen, "Address to serve on")->check(options::kHostPort)->capture_default_str();
  options::add_common_options(app, common);
  if (const int rc = options::parse(app, common, argc, argv); rc >= 0) return rc;

  const auto hp = *net::parse_host_port(listen);
  auto addresses = net::resolve(hp);
  if (!addresses) {
    std::fprintf(stderr, "%s: --listen: %s\n", app.get_name().c_str(), addresses.error().message.c_str());
    return 2;
  }
  asio::io_context io{1};
  tcp::acceptor acceptor(io);
  asio::error_code ec;
  const tcp::endpoint at(asio::ip::make_address(addresses->front()), hp.port);
  acceptor.open(at.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(at, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::fprintf(stderr, "%s: --listen: cannot listen on %s: %s\n", app.get_name().c_str(), listen.c_str(), ec.message().c_str());
    return 2;
  }
  const auto bound = acceptor.local_endpoint(ec);
  log::info("listening", {{"listener", "demo-app"}, {"address", fmt::format("{}:{}", bound.address().to_string(), bound.port())}});
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const asio::error_code&, int) { io.stop(); });
  accept_loop(acceptor);
  io.run();
  return 0;
}

}  // namespace waf::demo
