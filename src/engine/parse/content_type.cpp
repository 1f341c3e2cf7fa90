#include "engine/parse/content_type.hpp"

#include <cctype>

namespace waf::engine {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// "name=value(&name=value)*" with a name made of the bytes form field names use: clients that
// forget the Content-Type still send form bodies, and servers still parse them as forms. A body
// that ends in its first '=' run is base64 padding ("SGk=") and stays text, for the base64 decoder.
bool looks_form_encoded(std::string_view body) {
  const auto eq = body.find('=');
  if (eq == 0 || eq == std::string_view::npos || body.find_first_not_of('=', eq) == std::string_view::npos) return false;
  for (const char c : body.substr(0, eq)) {
    const bool name_byte = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
                           c == '[' || c == ']' || c == '%' || c == '+';
    if (!name_byte) return false;
  }
  return true;
}

}  // namespace

ContentType parse_content_type(std::string_view header_value) {
  ContentType out;
  const auto semi = header_value.find(';');
  for (const char c : trim(header_value.substr(0, semi))) out.media_type.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::string_view params = semi == std::string_view::npos ? std::string_view{} : header_value.substr(semi + 1);
  while (!params.empty()) {
    const auto next = params.find(';');
    const std::string_view param = trim(params.substr(0, next));
    params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
    const auto eq = param.find('=');
    if (eq == std::string_view::npos || !iequals(trim(param.substr(0, eq)), "boundary")) continue;
    std::string_view value = trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    out.boundary = value;
  }
  return out;
}

BodyFormat body_format(const ContentType& type, std::string_view body) {
  if (body.empty()) return BodyFormat::none;
  const std::string_view mt = type.media_type;
  if (mt == "application/x-www-form-urlencoded") return BodyFormat::form;
  if (mt.starts_with("multipart/") && !type.boundary.empty()) return BodyFormat::multipart;
  if (mt == "application/json" || mt == "text/json" || mt.ends_with("+json")) return BodyFormat::json;
  if (mt == "application/xml" || mt == "text/xml" || mt.ends_with("+xml")) return BodyFormat::xml;
  std::size_t i = 0;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) ++i;
  if (i < body.size() && (body[i] == '{' || body[i] == '[')) return BodyFormat::json;
  if (i < body.size() && body[i] == '<') return BodyFormat::xml;
  if (mt.empty() && looks_form_encoded(body)) return BodyFormat::form;
  return BodyFormat::text;
}

}  // namespace waf::engine
