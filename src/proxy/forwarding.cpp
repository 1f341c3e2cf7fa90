#include "proxy/forwarding.hpp"

#include <fmt/format.h>
#include <strings.h>

#include <array>

#include "common/json_writer.hpp"

namespace waf::proxy {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls f(token) for each comma-separated token of a header value, trimmed.
template <typename F>
void for_each_token(std::string_view value, F f) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    const auto token = trim(value.substr(0, comma));
    if (!token.empty()) f(token);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

constexpr std::array<std::string_view, 8> kHopByHop = {
    "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings"};

// True for headers that belong to one connection, including those the message names in Connection.
bool is_hop_by_hop(const MessageHead& head, std::string_view name) {
  for (auto h : kHopByHop) {
    if (iequals(name, h)) return true;
  }
  bool named = false;
  for (const auto& h : head.headers) {
    if (!iequals(h.name, "connection")) continue;
    for_each_token(h.value, [&](std::string_view token) { named = named || iequals(token, name); });
  }
  return named;
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

// RFC 9110 section 5.6.2: a field name is a token. llhttp accepts "Host : x"; some servers read
// that header and others ignore it, so it is refused here.
bool is_token(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// Three vectorised searches: a compare per byte of a 1 KB query string cost more than all three.
bool has_forbidden_byte(std::string_view s) noexcept {
  return s.find('\0') != std::string_view::npos || s.find('\r') != std::string_view::npos ||
         s.find('\n') != std::string_view::npos;
}

}  // namespace

HeadCheck check_request_head(const MessageHead& head) {
  if (head.version_major != 1 || head.version_minor > 1) {
    return {CodecError::malformed, "unsupported HTTP version"};
  }
  const auto te_count = head.count("transfer-encoding");
  if (te_count > 0 && head.count("content-length") > 0) {
    return {CodecError::smuggling, "both Transfer-Encoding and Content-Length"};
  }
  if (head.count("content-length") > 1) return {CodecError::smuggling, "more than one Content-Length"};
  if (te_count > 1) return {CodecError::smuggling, "more than one Transfer-Encoding"};
  if (te_count == 1) {
    // Only the exact coding "chunked" is accepted: "gzip, chunked", "chunked, identity" or
    // "xchunked" are read differently by different servers, which is the whole smuggling trick.
    if (!iequals(trim(head.find("transfer-encoding")->value), "chunked")) {
      return {CodecError::smuggling, "Transfer-Encoding other than chunked"};
    }
    if (head.is_http10()) return {CodecError::smuggling, "Transfer-Encoding in an HTTP/1.0 request"};
  }
  if (!head.is_http10() && head.count("host") != 1) {
    return {CodecError::malformed, head.count("host") == 0 ? "HTTP/1.1 request without Host" : "more than one Host"};
  }
  if (has_forbidden_byte(head.target)) return {CodecError::malformed, "control character in the request target"};
  for (const auto& h : head.headers) {
    if (!is_token(h.name)) return {CodecError::malformed, "invalid header name"};
    if (has_forbidden_byte(h.value)) return {CodecError::malformed, "control character in a header"};
  }
  return {};
}

std::string build_upstream_request(const MessageHead& request, const ForwardContext& ctx) {
  std::string out;
  out.reserve(512 + request.target.size() + request.headers.size() * 48);
  out += fmt::format("{} {} HTTP/1.1\r\n", request.method, request.target);
  const Header* xff = nullptr;
  const Header* xfp = nullptr;
  const Header* xfh = nullptr;
  for (const auto& h : request.headers) {
    if (iequals(h.name, "x-forwarded-for")) { xff = xff ? xff : &h; continue; }
    if (iequals(h.name, "x-forwarded-proto")) { xfp = xfp ? xfp : &h; continue; }
    if (iequals(h.name, "x-forwarded-host")) { xfh = xfh ? xfh : &h; continue; }
    if (iequals(h.name, "x-request-id") || iequals(h.name, "expect") || iequals(h.name, "content-length") ||
        is_hop_by_hop(request, h.name)) {
      continue;
    }
    append_header(out, h.name, h.value);
  }
  if (request.has_content_length) append_header(out, "Content-Length", fmt::format("{}", request.content_length));
  if (request.chunked) append_header(out, "Transfer-Encoding", "chunked");
  if (request.upgrade) {
    if (const auto* up = request.find("upgrade")) append_header(out, "Upgrade", up->value);
    append_header(out, "Connection", "upgrade");
  }
  if (ctx.peer_trusted && xff != nullptr) {
    append_header(out, "X-Forwarded-For", fmt::format("{}, {}", xff->value, ctx.peer_ip));
  } else {
    append_header(out, "X-Forwarded-For", ctx.peer_ip);
  }
  append_header(out, "X-Forwarded-Proto", ctx.peer_trusted && xfp != nullptr ? std::string_view(xfp->value) : ctx.proto);
  if (ctx.peer_trusted && xfh != nullptr) {
    append_header(out, "X-Forwarded-Host", xfh->value);
  } else if (const auto* host = request.find("host")) {
    append_header(out, "X-Forwarded-Host", host->value);
  }
  append_header(out, "X-Request-Id", ctx.request_id);
  out += "\r\n";
  return out;
}

BodyFraming response_framing(const MessageHead& response, bool upstream_body_until_close, bool no_body,
                             bool client_http10) {
  if (no_body || (response.status >= 100 && response.status < 200) || response.status == 204 ||
      response.status == 304) {
    return BodyFraming::none;
  }
  if (response.has_content_length && !response.chunked) return BodyFraming::content_length;
  if (!response.chunked && !upstream_body_until_close) return BodyFraming::content_length;  // empty body
  return client_http10 ? BodyFraming::until_close : BodyFraming::chunked;
}

std::string build_client_response_head(const MessageHead& response, BodyFraming framing, bool keep_alive,
                                       bool client_http10, std::string_view request_id) {
  std::string out;
  out.reserve(256 + response.headers.size() * 48);
  out += fmt::format("HTTP/1.1 {} {}\r\n", response.status,
                     response.reason.empty() ? reason_phrase(response.status) : std::string_view(response.reason));
  for (const auto& h : response.headers) {
    if (iequals(h.name, "content-length") || iequals(h.name, "x-request-id") || is_hop_by_hop(response, h.name)) {
      continue;
    }
    append_header(out, h.name, h.value);
  }
  switch (framing) {
    case BodyFraming::none:
      if (response.has_content_length && response.status >= 200) {
        append_header(out, "Content-Length", fmt::format("{}", response.content_length));
      }
      break;
    case BodyFraming::content_length:
      append_header(out, "Content-Length", fmt::format("{}", response.content_length));
      break;
    case BodyFraming::chunked: append_header(out, "Transfer-Encoding", "chunked"); break;
    case BodyFraming::until_close: break;
  }
  if (response.status == 101) {
    if (const auto* up = response.find("upgrade")) append_header(out, "Upgrade", up->value);
    append_header(out, "Connection", "upgrade");
  } else if (!keep_alive) {
    append_header(out, "Connection", "close");
  } else if (client_http10) {
    append_header(out, "Connection", "keep-alive");
  }
  append_header(out, "X-Request-Id", request_id);
  out += "\r\n";
  return out;
}

std::string build_local_response(int status, std::string_view error, std::string_view request_id, bool keep_alive) {
  std::string body;
  json::ObjectWriter(body).field("error", error).field("status", status).field("request_id", request_id).close();
  body.push_back('\n');
  return fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nCache-Control: no-store\r\n"
      "X-Request-Id: {}\r\n{}\r\n{}",
      status, reason_phrase(status), body.size(), request_id, keep_alive ? "" : "Connection: close\r\n", body);
}

std::string real_client_ip(const MessageHead& request, std::string_view peer_ip, bool peer_trusted,
                           const net::CidrSet& trusted) {
  if (!peer_trusted) return std::string(peer_ip);
  std::string client(peer_ip);
  // Walk X-Forwarded-For from the right: each trusted hop vouches for the address before it.
  std::vector<std::string_view> hops;
  for (const auto& h : request.headers) {
    if (iequals(h.name, "x-forwarded-for")) for_each_token(h.value, [&](std::string_view t) { hops.push_back(t); });
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!net::parse_ip(*it)) break;
    client = std::string(*it);
    if (!trusted.contains(*it)) break;
  }
  return client;
}

bool is_acceptable_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

}  // namespace waf::proxy
