#include "postanalytics/analytics/resp.hpp"

#include <fmt/format.h>

#include <charconv>

namespace waf::postanalytics {
namespace {

constexpr std::size_t kIncomplete = 0;

// Finds the CRLF ending a header line at or after pos; npos when not yet received.
std::size_t line_end(std::string_view in, std::size_t pos) { return in.find("\r\n", pos); }

Result<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
    return make_error(fmt::format("RESP: '{}' is not an integer", text.substr(0, 32)));
  }
  return n;
}

Result<std::size_t> parse_at(std::string_view in, std::size_t pos, RespValue& out, int depth) {
  if (pos >= in.size()) return kIncomplete;
  const auto eol = line_end(in, pos);
  if (eol == std::string_view::npos) return kIncomplete;
  const char kind = in[pos];
  const auto line = in.substr(pos + 1, eol - pos - 1);
  const auto after = eol + 2;
  switch (kind) {
    case '+':
    case '-':
      out.type = kind == '+' ? RespValue::Type::simple : RespValue::Type::error;
      out.text = line;
      return after;
    case ':': {
      auto n = parse_integer(line);
      if (!n) return n.error();
      out.type = RespValue::Type::integer;
      out.integer = *n;
      return after;
    }
    case '$': {
      auto n = parse_integer(line);
      if (!n) return n.error();
      if (*n == -1) {
        out.type = RespValue::Type::nil;
        return after;
      }
      if (*n < 0 || *n > kMaxRespBulkBytes) return make_error(fmt::format("RESP: bulk length {} out of range", *n));
      const auto len = static_cast<std::size_t>(*n);
      if (in.size() < after + len + 2) return kIncomplete;
      if (in.substr(after + len, 2) != "\r\n") return make_error("RESP: bulk string not followed by CRLF");
      out.type = RespValue::Type::bulk;
      out.text = in.substr(after, len);
      return after + len + 2;
    }
    case '*': {
      auto n = parse_integer(line);
      if (!n) return n.error();
      if (*n == -1) {
        out.type = RespValue::Type::nil;
        return after;
      }
      if (*n < 0 || *n > kMaxRespArrayElements) return make_error(fmt::format("RESP: array length {} out of range", *n));
      if (depth >= kMaxRespDepth) return make_error("RESP: arrays nested too deep");
      out.type = RespValue::Type::array;
      out.elements.clear();
      auto next = after;
      for (std::int64_t i = 0; i < *n; ++i) {
        RespValue element;
        auto used = parse_at(in, next, element, depth + 1);
        if (!used) return used;
        if (*used == kIncomplete) return kIncomplete;
        out.elements.push_back(std::move(element));
        next = *used;
      }
      return next;
    }
    default:
      return make_error(fmt::format("RESP: unexpected type byte 0x{:02x}", static_cast<unsigned char>(kind)));
  }
}

}  // namespace

void append_resp_command(std::string& out, std::span<const std::string> args) {
  out += fmt::format("*{}\r\n", args.size());
  for (const auto& arg : args) {
    out += fmt::format("${}\r\n", arg.size());
    out += arg;
    out += "\r\n";
  }
}

Result<std::size_t> parse_resp(std::string_view in, RespValue& out) { return parse_at(in, 0, out, 0); }

}  // namespace waf::postanalytics
