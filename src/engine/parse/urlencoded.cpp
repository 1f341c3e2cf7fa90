#include "engine/parse/urlencoded.hpp"

#include <algorithm>
#include <array>

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

namespace {

// What a byte means in a parameter name (0: nothing), one table lookup per byte.
constexpr unsigned char kEncoded = 1, kEnd = 2;
constexpr std::array<unsigned char, 256> kNameBytes = [] {
  std::array<unsigned char, 256> t{};
  t['+'] = t['%'] = kEncoded;
  t['='] = t['&'] = kEnd;
  return t;
}();

}  // namespace

void parse_urlencoded(std::string_view text, std::string_view prefix, LocationKind value_kind, ValueCollector& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    // Names are short: one walk over the name finds where it ends and whether it is encoded,
    // where three searches cost a call each; the value, of any length, is left to memchr.
    const std::size_t start = i;
    unsigned encoded = 0;
    for (; i < text.size(); ++i) {
      const unsigned byte = kNameBytes[static_cast<unsigned char>(text[i])];
      if (byte == kEnd) break;
      encoded |= byte;
    }
    const std::string_view name = text.substr(start, i - start);
    const bool has_value = i < text.size() && text[i] == '=';
    if (!has_value && name.empty()) {  // an empty pair: "a=1&&b=2"
      ++i;
      continue;
    }
    std::string_view value;
    if (has_value) {
      const std::size_t amp = std::min(text.find('&', i + 1), text.size());
      value = text.substr(i + 1, amp - i - 1);
      i = amp;
    }
    ++i;  // past the '&'
    // Most names need no decoding: no copy then.
    const std::string_view location = encoded ? out.location(prefix, location_name(name)) : out.location(prefix, name);
    if (!out.add(LocationKind::query_name, location, name)) return;
    if (!out.add(value_kind, location, value)) return;
  }
}

}  // namespace waf::engine
