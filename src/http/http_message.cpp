#include "http/http_message.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace waf::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

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
    case 400: return "Bad Request";
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

std::string render_response(const HttpResponse& response) {
  return fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n\r\n{}",
                     response.status, reason(response.status), response.content_type, response.body.size(),
                     response.close ? "close" : "keep-alive", response.body);
}

}  // namespace waf::http
