#include "proxy/report/path_template.hpp"

#include <algorithm>

#include "engine/parse/target.hpp"

namespace waf::proxy::report {
namespace {

constexpr std::size_t kMinHexIdBytes = 16;
constexpr std::size_t kMinTokenIdBytes = 24;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_token(char c) { return is_hex(c) || (c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z') || c == '_' || c == '-'; }

// 8-4-4-4-12 hex digits.
bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

bool is_id(std::string_view segment) {
  if (segment.empty()) return false;
  const auto all = [&](auto pred) { return std::all_of(segment.begin(), segment.end(), pred); };
  return all(is_digit) || is_uuid(segment) || (segment.size() >= kMinHexIdBytes && all(is_hex)) ||
         (segment.size() >= kMinTokenIdBytes && all(is_token));
}

}  // namespace

std::string path_template(std::string_view target) {
  std::string_view path = engine::split_target(target).path;
  if (const auto hash = path.find('#'); hash != std::string_view::npos) path = path.substr(0, hash);
  std::string out;
  out.reserve(std::min(path.size(), kMaxTemplateBytes));
  std::size_t start = 0;
  while (start <= path.size() && out.size() < kMaxTemplateBytes) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view segment = path.substr(start, end - start);
    out.append(is_id(segment) ? std::string_view("{id}") : segment);
    if (slash == std::string_view::npos) break;
    out.push_back('/');
    start = slash + 1;
  }
  if (out.size() > kMaxTemplateBytes) {
    std::size_t cut = kMaxTemplateBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

}  // namespace waf::proxy::report
