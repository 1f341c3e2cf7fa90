#include "engine/parse/multipart.hpp"

#include <cctype>
#include <optional>
#include <string>

#include "engine/parse/content_type.hpp"
#include "engine/parse/json.hpp"
#include "engine/parse/xml.hpp"

namespace waf::engine {
namespace {

// Only this much of a file is looked at to tell text from binary.
constexpr std::size_t kSniffBytes = 512;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// The value of parameter `key` in a Content-Disposition header ("form-data; name="a""), or
// nullopt when absent. Parameters are matched as whole words: "name" is not found in "filename".
std::optional<std::string_view> disposition_param(std::string_view header, std::string_view key) {
  std::size_t pos = 0;
  while ((pos = header.find(';', pos)) != std::string_view::npos) {
    std::string_view rest = trim(header.substr(pos + 1));
    ++pos;
    if (!istarts_with(rest, key)) continue;
    rest = trim(rest.substr(key.size()));
    if (rest.empty() || rest.front() != '=') continue;
    rest = trim(rest.substr(1));
    if (!rest.empty() && rest.front() == '"') {
      const auto close = rest.find('"', 1);
      if (close == std::string_view::npos) return rest.substr(1);
      // Browsers send a quote inside a value as %22: text after the closing quote that does not
      // start the next parameter ("x.jpg"><svg onload=...>") is tampering, and belongs to the value.
      const std::string_view after = trim(rest.substr(close + 1));
      if (after.empty() || after.front() == ';') return rest.substr(1, close - 1);
      const auto last = rest.rfind('"');
      return rest.substr(1, (last > close ? last : rest.size()) - 1);
    }
    return rest.substr(0, rest.find(';'));
  }
  return std::nullopt;
}

bool looks_like_text(std::string_view content) {
  const std::string_view head = content.substr(0, kSniffBytes);
  std::size_t binary = 0;
  for (const char ch : head) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0 || (c < 0x20 && c != '\t' && c != '\r' && c != '\n')) ++binary;
  }
  return binary * 20 <= head.size();  // at most 5% control bytes
}

struct Part {
  std::string_view disposition;
  std::string_view content_type;
  std::string_view content;
};

// Splits a part into its headers and content.
Part split_part(std::string_view part) {
  Part out;
  while (!part.empty()) {
    const auto eol = part.find('\n');
    const std::string_view line = trim(part.substr(0, eol));
    part = eol == std::string_view::npos ? std::string_view{} : part.substr(eol + 1);
    if (line.empty()) break;
    if (istarts_with(line, "content-disposition:")) out.disposition = trim(line.substr(20));
    if (istarts_with(line, "content-type:")) out.content_type = trim(line.substr(13));
  }
  out.content = part;
  return out;
}

bool collect_part(const Part& part, ValueCollector& out) {
  const std::string_view name = disposition_param(part.disposition, "name").value_or("");
  const std::string_view location = out.location("multipart", name);
  if (!out.add(LocationKind::query_name, location, name)) return false;
  const auto filename = disposition_param(part.disposition, "filename");
  const bool is_file = filename.has_value();
  if (is_file && !out.add(LocationKind::multipart_filename, out.location(location, "filename"), *filename)) return false;
  const ContentType type = parse_content_type(part.content_type);
  const BodyFormat format = part.content_type.empty() ? BodyFormat::text : body_format(type, part.content);
  if (format == BodyFormat::json && parse_json(part.content, location, out)) return !out.exhausted();
  if (format == BodyFormat::xml && !is_file) {
    parse_xml(part.content, location, out);
    return !out.exhausted();
  }
  if (is_file && !looks_like_text(part.content)) return true;
  return out.add(LocationKind::multipart_value, location, part.content);
}

}  // namespace

bool parse_multipart(std::string_view body, std::string_view boundary, ValueCollector& out) {
  const std::string delimiter = "--" + std::string(boundary);
  auto pos = body.find(delimiter);
  if (pos == std::string_view::npos) return false;
  while (pos != std::string_view::npos) {
    std::size_t start = pos + delimiter.size();
    if (body.substr(start, 2) == "--") return true;  // the close delimiter
    // The rest of the delimiter line (transport padding) and its line break.
    const auto eol = body.find('\n', start);
    if (eol == std::string_view::npos) break;
    start = eol + 1;
    const auto next = body.find(delimiter, start);
    std::string_view part = body.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start);
    // The line break before the next delimiter belongs to the delimiter (RFC 2046 section 5.1.1).
    if (next != std::string_view::npos) {
      if (part.ends_with("\r\n")) part.remove_suffix(2);
      else if (part.ends_with("\n")) part.remove_suffix(1);
    }
    if (!collect_part(split_part(part), out)) return true;
    pos = next;
  }
  return true;
}

}  // namespace waf::engine
