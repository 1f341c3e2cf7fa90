#include "inspect/raw_request.hpp"

#include <cctype>
#include <charconv>

namespace waf::inspect {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Takes one line (without its CRLF or LF) off the front of `rest`.
std::string_view take_line(std::string_view& rest) {
  const auto eol = rest.find('\n');
  std::string_view line = rest.substr(0, eol);
  rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

const std::string* find_header(const RawRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (iequals(n, name)) return &v;
  }
  return nullptr;
}

// RFC 9112 section 7.1. A malformed chunk ends decoding; what was decoded so far is the body.
std::string decode_chunked(std::string_view rest) {
  std::string body;
  while (!rest.empty()) {
    const std::string_view size_line = trim(take_line(rest));
    std::size_t size = 0;
    const auto digits = size_line.substr(0, size_line.find(';'));
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), size, 16);
    if (ec != std::errc{} || end != digits.data() + digits.size() || size == 0) break;
    body.append(rest.substr(0, size));
    if (size >= rest.size()) break;
    rest.remove_prefix(size);
    take_line(rest);
  }
  return body;
}

}  // namespace

Result<RawRequest> parse_raw_request(std::string_view bytes) {
  std::string_view rest = bytes;
  std::string_view request_line;
  while (!rest.empty() && (request_line = trim(take_line(rest))).empty()) {
  }
  if (request_line.empty()) return make_error("empty request");
  RawRequest r;
  const auto sp1 = request_line.find(' ');
  if (sp1 == std::string_view::npos) return make_error("request line has no target: '" + std::string(request_line.substr(0, 80)) + "'");
  r.method = std::string(request_line.substr(0, sp1));
  std::string_view target = trim(request_line.substr(sp1 + 1));
  if (const auto sp2 = target.rfind(' '); sp2 != std::string_view::npos && target.substr(sp2 + 1).starts_with("HTTP/")) {
    r.version = std::string(target.substr(sp2 + 1));
    target = trim(target.substr(0, sp2));
  }
  if (target.empty()) return make_error("request line has no target");
  // Origin, absolute, asterisk or (for CONNECT) authority form (RFC 9112 section 3.2): anything
  // else means this is not a request line, and guessing would inspect garbage.
  const bool known_form = target.front() == '/' || target == "*" || target.find("://") != std::string_view::npos ||
                          iequals(r.method, "CONNECT");
  if (!known_form) return make_error("request line has no valid target: '" + std::string(request_line.substr(0, 80)) + "'");
  r.target = std::string(target);
  while (!rest.empty()) {
    const std::string_view line = take_line(rest);
    if (trim(line).empty()) break;
    if ((line.front() == ' ' || line.front() == '\t') && !r.headers.empty()) {
      // Obsolete line folding (RFC 9112 section 5.2): the continuation joins the value.
      r.headers.back().second += " " + std::string(trim(line));
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return make_error("header line without ':': '" + std::string(line.substr(0, 80)) + "'");
    r.headers.emplace_back(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  }
  const std::string* te = find_header(r, "transfer-encoding");
  const std::string* cl = find_header(r, "content-length");
  std::size_t length = 0;
  if (te != nullptr && te->find("chunked") != std::string::npos) {
    r.body = decode_chunked(rest);
  } else if (cl != nullptr && std::from_chars(cl->data(), cl->data() + cl->size(), length).ec == std::errc{}) {
    r.body = std::string(rest.substr(0, length));
  } else {
    // No framing: the rest of the file, without the newline an editor adds at the end.
    while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r')) rest.remove_suffix(1);
    r.body = std::string(rest);
  }
  return r;
}

engine::Request to_engine_request(const RawRequest& raw, std::string_view client_ip, std::size_t body_limit) {
  engine::Request request;
  request.method = raw.method;
  request.target = raw.target;
  for (const auto& [name, value] : raw.headers) request.headers.emplace_back(name, value);
  request.body = raw.body;
  if (request.body.size() > body_limit) {
    request.body = request.body.substr(0, body_limit);
    request.body_truncated = true;
  }
  request.client_ip = client_ip;
  if (client_ip.empty()) {
    if (const std::string* xff = find_header(raw, "x-forwarded-for")) request.client_ip = trim(std::string_view(*xff).substr(0, xff->find(',')));
  }
  return request;
}

}  // namespace waf::inspect
