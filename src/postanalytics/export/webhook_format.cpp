#include "postanalytics/export/webhook_format.hpp"

#include <fmt/format.h>

#include <charconv>

#include "common/net/endpoint.hpp"

namespace waf::postanalytics {

Result<HttpUrl> parse_http_url(std::string_view url) {
  HttpUrl out;
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    out.tls = true;
    rest = url.substr(8);
  } else {
    return make_error(fmt::format("--export-webhook: '{}' must start with http:// or https://", url));
  }
  const auto slash = rest.find_first_of("/?");
  auto authority = rest.substr(0, slash);
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (out.target.front() == '?') out.target.insert(0, "/");
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    return make_error(fmt::format("--export-webhook: '{}' needs a host (and no user info)", url));
  }
  const bool has_port = authority.back() != ']' && authority.rfind(':') != std::string_view::npos &&
                        (authority.front() == '[' || authority.find(':') == authority.rfind(':'));
  const auto default_port = out.tls ? "443" : "80";
  auto host_port = net::parse_host_port(has_port ? std::string(authority) : fmt::format("{}:{}", authority, default_port));
  if (!host_port || host_port->host.empty() || host_port->port == 0) {
    return make_error(fmt::format("--export-webhook: '{}' has a bad host or port", url));
  }
  out.host = host_port->host;
  out.port = host_port->port;
  out.host_header = authority;
  return out;
}

std::string webhook_body(std::span<const std::string> event_json_lines) {
  std::string out = R"({"events":[)";
  for (std::size_t i = 0; i < event_json_lines.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += event_json_lines[i];
  }
  out += "]}";
  return out;
}

std::string webhook_request(const HttpUrl& url, std::string_view body) {
  return fmt::format(
      "POST {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: waf-postanalytics\r\nContent-Type: application/json\r\n"
      "Content-Length: {}\r\nConnection: close\r\n\r\n{}",
      url.target, url.host_header, body.size(), body);
}

Result<int> parse_status_line(std::string_view head) {
  // "HTTP/1.x SSS ..." (RFC 9112 section 4)
  if (!head.starts_with("HTTP/1.") || head.size() < 12 || head[8] != ' ') return make_error("not an HTTP/1.x response");
  int status = 0;
  const auto [end, ec] = std::from_chars(head.data() + 9, head.data() + 12, status);
  if (ec != std::errc{} || end != head.data() + 12 || status < 100 || status > 599) {
    return make_error("bad status code in the response");
  }
  return status;
}

}  // namespace waf::postanalytics
