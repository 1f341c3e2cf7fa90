#include "engine/parse/urlencoded.hpp"

#include "engine/decode/percent.hpp"
#include "engine/decode/plus.hpp"

namespace waf::engine {

std::string location_name(std::string_view raw_name) {
  std::string plus;
  std::string decoded;
  const bool had_plus = PlusDecoder{}.decode(raw_name, plus);
  const std::string_view input = had_plus ? std::string_view(plus) : raw_name;
  if (PercentDecoder{}.decode(input, decoded)) return decoded;
  return std::string(input);
}

void parse_urlencoded(std::string_view text, std::string_view prefix, LocationKind value_kind, ValueCollector& out) {
  std::string location;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    location.assign(prefix);
    // Most names need no decoding: no copy then.
    if (name.find_first_of("+%") == std::string_view::npos) append_location(location, name);
    else append_location(location, location_name(name));
    if (!out.add(LocationKind::query_name, location, name)) return;
    if (!out.add(value_kind, location, value)) return;
  }
}

}  // namespace waf::engine
