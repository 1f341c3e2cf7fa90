#include "http/http_message.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace waf::http {
bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

ParsedHead bad(std::string error) {
  ParsedHead head;
  head.status = HeadStatus::bad;
  head.error = std::move(error);
  return head;
}

std::string_view reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

}  // namespace

ParsedHead parse_request_head(std::string_view data, std::size_t max_head_bytes) {
  const auto end = data.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    ParsedHead head;
    head.status = data.size() > max_head_bytes ? HeadStatus::too_large : HeadStatus::incomplete;
    return head;
  }
  if (end + 4 > max_head_bytes) {
    ParsedHead head;
    head.status = HeadStatus::too_large;
    return head;
  }
  ParsedHead head;
  head.head_bytes = end + 4;
  auto text = data.substr(0, end + 2);
  auto line_end = text.find("\r\n");
  const auto request_line = text.substr(0, line_end);
  text.remove_prefix(line_end + 2);

  const auto sp1 = request_line.find(' ');
  const auto sp2 = request_line.rfind(' ');
  if (sp1 == std::string_view::npos || sp1 == sp2) return bad("malformed request line");
  head.request.method = std::string(request_line.substr(0, sp1));
  head.request.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
  const auto version = request_line.substr(sp2 + 1);
  if (version == "HTTP/1.0") head.request.keep_alive = false;
  else if (version != "HTTP/1.1") return bad("unsupported HTTP version");
  if (head.request.method.empty() || head.request.target.empty() || head.request.target.front() != '/') {
    return bad("malformed request line");
  }

  bool have_length = false;
  while (!text.empty()) {
    line_end = text.find("\r\n");
    const auto line = text.substr(0, line_end);
    text.remove_prefix(line_end + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || line.substr(0, colon).find_first_of(" \t") != std::string_view::npos) {
      return bad("malformed header line");
    }
    const auto name = line.substr(0, colon);
    const auto value = trim(line.substr(colon + 1));
    head.request.headers.emplace_back(name, value);
    if (iequals(name, "content-length")) {
      std::size_t n = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (have_length || value.empty() || ec != std::errc() || ptr != value.data() + value.size()) {
        return bad("invalid Content-Length");
      }
      have_length = true;
      head.request.content_length = n;
    } else if (iequals(name, "transfer-encoding")) {
      return bad("Transfer-Encoding is not supported, send a Content-Length");
    } else if (iequals(name, "connection")) {
      if (iequals(value, "close")) head.request.keep_alive = false;
      else if (iequals(value, "keep-alive")) head.request.keep_alive = true;
    }
  }
  head.status = HeadStatus::complete;
  return head;
}

HttpResponse make_response(int status, std::string body, std::string content_type) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

HttpResponse text_response(int status, std::string body) {
  return make_response(status, std::move(body), "text/plain; charset=utf-8");
}

std::string render_response(const HttpResponse& response) {
  std::string extra;
  for (const auto& [name, value] : response.headers) extra += fmt::format("{}: {}\r\n", name, value);
  if (response.status == 204 || response.status == 304) {
    return fmt::format("HTTP/1.1 {} {}\r\n{}Connection: {}\r\n\r\n", response.status, reason(response.status), extra,
                       response.close ? "close" : "keep-alive");
  }
  return fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}Connection: {}\r\n\r\n{}",
                     response.status, reason(response.status), response.content_type, response.body.size(), extra,
                     response.close ? "close" : "keep-alive", response.body);
}

std::string_view HttpRequest::header(std::string_view name) const noexcept {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return {};
}

std::string_view HttpRequest::path() const noexcept {
  const std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view HttpRequest::query() const noexcept {
  const std::string_view t = target;
  const auto q = t.find('?');
  return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

std::optional<std::string> decode_query_component(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      unsigned value = 0;
      if (i + 2 >= text.size()) return std::nullopt;
      const auto [ptr, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
      if (ec != std::errc() || ptr != text.data() + i + 3) return std::nullopt;
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    return decode_query_component(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace waf::http
