#include "common/json_writer.hpp"

#include <fmt/format.h>

namespace waf::json {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) len = 2;
  else if (b0 >= 0xE0 && b0 <= 0xEF) len = 3;
  else if (b0 >= 0xF0 && b0 <= 0xF4) len = 4;
  else return 0;
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return len;
}

}  // namespace

void append_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\u{:04x}", c);
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (const auto len = utf8_sequence_length(s, i); len > 0) {
      out.append(s.substr(i, len));
      i += len - 1;
    } else {
      // An invalid byte is shown as its Latin-1 code point so evidence stays readable and valid.
      out += fmt::format("\\u{:04x}", c);
    }
  }
  out.push_back('"');
}

std::string quote(std::string_view s) {
  std::string out;
  append_string(out, s);
  return out;
}

void ObjectWriter::key(std::string_view k) {
  if (!first_) out_.push_back(',');
  first_ = false;
  append_string(out_, k);
  out_.push_back(':');
}

ObjectWriter& ObjectWriter::field(std::string_view k, std::string_view value) {
  key(k);
  append_string(out_, value);
  return *this;
}
ObjectWriter& ObjectWriter::field(std::string_view k, std::int64_t value) {
  key(k);
  out_ += fmt::format("{}", value);
  return *this;
}
ObjectWriter& ObjectWriter::field(std::string_view k, std::uint64_t value) {
  key(k);
  out_ += fmt::format("{}", value);
  return *this;
}
ObjectWriter& ObjectWriter::field(std::string_view k, double value) {
  key(k);
  out_ += fmt::format("{}", value);
  return *this;
}
ObjectWriter& ObjectWriter::field(std::string_view k, bool value) {
  key(k);
  out_ += value ? "true" : "false";
  return *this;
}
ObjectWriter& ObjectWriter::raw(std::string_view k, std::string_view json_text) {
  key(k);
  out_.append(json_text);
  return *this;
}

}  // namespace waf::json
