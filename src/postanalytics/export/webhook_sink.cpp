#include "postanalytics/export/webhook_sink.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include "postanalytics/export/blocking_socket.hpp"

namespace waf::postanalytics {
namespace {

constexpr std::chrono::milliseconds kTimeout{5000};
constexpr std::size_t kMaxResponseHead = 16 * 1024;

std::string tls_error(std::string_view what) {
  const auto code = ERR_get_error();
  char text[256] = {};
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return fmt::format("webhook: {}: {}", what, code != 0 ? text : "failed");
}

bool is_ip_literal(const std::string& host) {
  unsigned char bytes[16];
  return inet_pton(AF_INET, host.c_str(), bytes) == 1 || inet_pton(AF_INET6, host.c_str(), bytes) == 1;
}

// Reads until the status line is complete (the rest of the response is not needed).
template <typename Receive>
Result<std::string> read_head(Receive&& receive) {
  std::string head;
  char buffer[4096];
  while (head.find("\r\n") == std::string::npos && head.size() < kMaxResponseHead) {
    auto n = receive(buffer, sizeof buffer);
    if (!n) return n.error();
    if (*n == 0) break;
    head.append(buffer, *n);
  }
  return head;
}

}  // namespace

Result<std::unique_ptr<WebhookSink>> WebhookSink::make(HttpUrl url) {
  ssl_ctx_st* tls = nullptr;
  if (url.tls) {
    tls = SSL_CTX_new(TLS_client_method());
    if (tls == nullptr) return make_error(tls_error("TLS context"));
    SSL_CTX_set_min_proto_version(tls, TLS1_2_VERSION);
    SSL_CTX_set_verify(tls, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_set_default_verify_paths(tls) != 1) {
      SSL_CTX_free(tls);
      return make_error(tls_error("CA certificates"));
    }
  }
  return std::unique_ptr<WebhookSink>(new WebhookSink(std::move(url), tls));
}

WebhookSink::~WebhookSink() {
  if (tls_ != nullptr) SSL_CTX_free(tls_);
}

Result<std::string> WebhookSink::exchange(int fd, std::string_view request) {
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(tls_), SSL_free);
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) return make_error(tls_error("TLS session"));
  if (is_ip_literal(url_.host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), url_.host.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl.get(), url_.host.c_str());
    SSL_set1_host(ssl.get(), url_.host.c_str());
  }
  if (SSL_connect(ssl.get()) != 1) return make_error(tls_error("TLS handshake"));
  while (!request.empty()) {
    const int n = SSL_write(ssl.get(), request.data(), static_cast<int>(std::min<std::size_t>(request.size(), 1 << 20)));
    if (n <= 0) return make_error(tls_error("TLS write"));
    request.remove_prefix(static_cast<std::size_t>(n));
  }
  auto head = read_head([&](char* buffer, std::size_t size) -> Result<std::size_t> {
    const int n = SSL_read(ssl.get(), buffer, static_cast<int>(size));
    if (n > 0) return static_cast<std::size_t>(n);
    if (SSL_get_error(ssl.get(), n) == SSL_ERROR_ZERO_RETURN) return std::size_t{0};
    return make_error(tls_error("TLS read"));
  });
  SSL_shutdown(ssl.get());
  return head;
}

Status WebhookSink::deliver(std::span<const std::string> lines) {
  auto socket = connect_tcp(url_.host, url_.port, kTimeout);
  if (!socket) return make_error("webhook: " + socket.error().message);
  const auto request = webhook_request(url_, webhook_body(lines));
  Result<std::string> head = std::string();
  if (tls_ != nullptr) {
    head = exchange(socket->fd(), request);
  } else if (auto sent = socket->send_all(request); !sent) {
    head = sent.error();
  } else {
    head = read_head([&](char* buffer, std::size_t size) { return socket->receive(buffer, size); });
  }
  if (!head) return make_error(head.error().message.starts_with("webhook") ? head.error().message
                                                                            : "webhook: " + head.error().message);
  auto status = parse_status_line(*head);
  if (!status) return make_error("webhook: " + status.error().message);
  if (*status < 200 || *status > 299) return make_error(fmt::format("webhook: answered {}", *status));
  return Ok{};
}

}  // namespace waf::postanalytics
