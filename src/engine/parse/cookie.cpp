#include "engine/parse/cookie.hpp"


namespace waf::engine {

void parse_cookie_header(std::string_view header_value, ValueCollector& out) {
  while (!header_value.empty()) {
    const auto semi = header_value.find(';');
    std::string_view pair = header_value.substr(0, semi);
    header_value = semi == std::string_view::npos ? std::string_view{} : header_value.substr(semi + 1);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    while (!pair.empty() && (pair.back() == ' ' || pair.back() == '\t')) pair.remove_suffix(1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    const std::string_view location = out.location("cookie", name);
    if (!out.add(LocationKind::query_name, location, name)) return;
    if (!out.add(LocationKind::cookie, location, value)) return;
  }
}

}  // namespace waf::engine
