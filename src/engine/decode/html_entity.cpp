#include "engine/decode/html_entity.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <cstdint>

#include "engine/decode/hex.hpp"

namespace waf::engine {
namespace {

struct NamedEntity {
  std::string_view name;
  std::string_view text;
  bool legacy;  // also recognised without the semicolon (HTML's legacy list)
};

// The entities that spell characters markup and scripts are made of, plus the common typographic
// ones so that benign text decodes cleanly. Every text is shorter than its "&name" spelling, which
// keeps the decoder from ever growing its input.
constexpr NamedEntity kEntities[] = {
    {"lt", "<", true},         {"LT", "<", true},        {"gt", ">", true},        {"GT", ">", true},
    {"amp", "&", true},        {"AMP", "&", true},       {"quot", "\"", true},     {"QUOT", "\"", true},
    {"apos", "'", false},      {"nbsp", "\xC2\xA0", true}, {"copy", "\xC2\xA9", true}, {"reg", "\xC2\xAE", true},
    {"Tab", "\t", false},      {"NewLine", "\n", false}, {"excl", "!", false},     {"num", "#", false},
    {"dollar", "$", false},    {"percnt", "%", false},   {"lpar", "(", false},     {"rpar", ")", false},
    {"ast", "*", false},       {"midast", "*", false},   {"plus", "+", false},     {"comma", ",", false},
    {"period", ".", false},    {"sol", "/", false},      {"colon", ":", false},    {"semi", ";", false},
    {"equals", "=", false},    {"quest", "?", false},    {"commat", "@", false},   {"lsqb", "[", false},
    {"lbrack", "[", false},    {"bsol", "\\", false},    {"rsqb", "]", false},     {"rbrack", "]", false},
    {"Hat", "^", false},       {"lowbar", "_", false},   {"UnderBar", "_", false}, {"grave", "`", false},
    {"DiacriticalGrave", "`", false}, {"lcub", "{", false}, {"lbrace", "{", false}, {"verbar", "|", false},
    {"vert", "|", false},      {"VerticalLine", "|", false}, {"rcub", "}", false}, {"rbrace", "}", false},
    {"hyphen", "-", false},    {"dash", "-", false},     {"lsquo", "\xE2\x80\x98", false},
    {"rsquo", "\xE2\x80\x99", false}, {"ldquo", "\xE2\x80\x9C", false}, {"rdquo", "\xE2\x80\x9D", false},
    {"ndash", "\xE2\x80\x93", false}, {"mdash", "\xE2\x80\x94", false}, {"hellip", "\xE2\x80\xA6", false},
    {"euro", "\xE2\x82\xAC", false}, {"times", "\xC3\x97", true}, {"divide", "\xC3\xB7", true},
    {"deg", "\xC2\xB0", true}, {"laquo", "\xC2\xAB", true}, {"raquo", "\xC2\xBB", true},
    {"middot", "\xC2\xB7", true},
};

// The legacy names alone, in the same order: every '&' not followed by "name;" scans them.
constexpr std::size_t kLegacyCount =
    static_cast<std::size_t>(std::count_if(std::begin(kEntities), std::end(kEntities), [](const NamedEntity& e) { return e.legacy; }));
constexpr std::array<NamedEntity, kLegacyCount> kLegacy = [] {
  std::array<NamedEntity, kLegacyCount> legacy{};
  std::size_t n = 0;
  for (const auto& e : kEntities) {
    if (e.legacy) legacy[n++] = e;
  }
  return legacy;
}();

constexpr bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Decodes "&#..." at in[i] (in[i] == '&', in[i+1] == '#'); returns the bytes consumed or 0.
std::size_t decode_numeric(std::string_view in, std::size_t i, std::string& out) {
  std::size_t k = i + 2;
  const bool hex = k < in.size() && (in[k] == 'x' || in[k] == 'X');
  if (hex) ++k;
  const std::size_t digits_start = k;
  std::uint32_t cp = 0;
  for (; k < in.size(); ++k) {
    const int d = hex ? hex_value(in[k]) : (in[k] >= '0' && in[k] <= '9' ? in[k] - '0' : -1);
    if (d < 0) break;
    // Saturate: any value beyond Unicode is U+FFFD however many digits follow.
    cp = cp > 0x10FFFF ? cp : cp * (hex ? 16U : 10U) + static_cast<std::uint32_t>(d);
  }
  if (k == digits_start) return 0;
  if (k < in.size() && in[k] == ';') ++k;
  append_utf8(out, cp == 0 ? 0xFFFD : cp);
  return k - i;
}

// Decodes "&name;" (or a legacy "&name") at in[i]; returns the bytes consumed or 0.
std::size_t decode_named(std::string_view in, std::size_t i, std::string& out) {
  std::size_t k = i + 1;
  while (k < in.size() && k - i <= 32 && is_alnum(in[k])) ++k;
  const std::string_view word = in.substr(i + 1, k - i - 1);
  if (word.empty()) return 0;
  if (k < in.size() && in[k] == ';') {
    for (const auto& e : kEntities) {
      if (e.name == word) {
        out.append(e.text);
        return k + 1 - i;
      }
    }
  }
  // Without a semicolon browsers still decode the legacy names, even before more letters
  // ("&ltscript" in text), so match the longest legacy name that prefixes the word.
  const NamedEntity* best = nullptr;
  for (const auto& e : kLegacy) {
    if (word.starts_with(e.name) && (best == nullptr || e.name.size() > best->name.size())) best = &e;
  }
  if (best == nullptr) return 0;
  out.append(best->text);
  return best->name.size() + 1;
}

}  // namespace

bool HtmlEntityDecoder::decode(std::string_view in, std::string& out) const {
  std::size_t i = in.find('&');
  if (i == std::string_view::npos) return false;
  out.assign(in.substr(0, i));
  bool changed = false;
  while (i < in.size()) {
    // in[i] is '&'; the text up to the next '&' is copied in one piece.
    std::size_t used = 0;
    if (i + 1 < in.size()) used = in[i + 1] == '#' ? decode_numeric(in, i, out) : decode_named(in, i, out);
    if (used > 0) {
      i += used;
      changed = true;
    } else {
      out.push_back(in[i++]);
    }
    const std::size_t next = std::min(in.find('&', i), in.size());
    out.append(in.substr(i, next - i));
    i = next;
  }
  return changed;
}

}  // namespace waf::engine
