#include "engine/detect/jndi.hpp"

#include <array>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

constexpr std::size_t kMaxResolved = 64;
constexpr int kMaxDepth = 8;

struct Buffer {
  std::array<char, kMaxResolved> data{};
  std::size_t size = 0;
  void push(char c) noexcept {
    if (size < data.size()) data[size++] = text::lower(c);
  }
  std::string_view view() const noexcept { return {data.data(), size}; }
};

// "${base64:...}" renders the decoded text (Log4j 2.x Base64StrLookup); decoded into `out` up to its size.
void push_base64(std::string_view b64, Buffer& out) noexcept {
  unsigned acc = 0;
  int bits = 0;
  for (const char c : b64) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    if (v < 0) continue;
    acc = ((acc << 6) | static_cast<unsigned>(v)) & 0xFFFFFFu;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push(static_cast<char>((acc >> bits) & 0xFFu));
    }
  }
}

// Resolves the lookup body starting at `i` (just after "${") into `out`, as Log4j would render the
// characters that matter; returns the position after the closing '}'.
std::size_t resolve(std::string_view s, std::size_t i, Buffer& out, int depth) noexcept {
  const std::size_t start = i;
  Buffer body;
  while (i < s.size() && s[i] != '}') {
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{' && depth < kMaxDepth) {
      Buffer inner;
      i = resolve(s, i + 2, inner, depth + 1);
      for (char c : inner.view()) body.push(c);
      continue;
    }
    body.push(s[i]);
    ++i;
  }
  const std::size_t close = i;
  if (i < s.size()) ++i;  // '}'
  const std::string_view b = body.view();
  // "${prefix:name:-default}" renders the default when the name is unset; "${::-j}" is all default.
  const std::size_t dflt = b.find(":-");
  const std::size_t colon = b.find(':');
  std::string_view rendered = b;
  if (dflt != std::string_view::npos && dflt == colon) {
    rendered = b.substr(dflt + 2);
  } else if (dflt != std::string_view::npos && colon != std::string_view::npos) {
    const std::string_view prefix = b.substr(0, colon);
    rendered = (prefix == "jndi") ? b : b.substr(dflt + 2);
  } else if (colon != std::string_view::npos) {
    const std::string_view prefix = b.substr(0, colon);
    if (prefix == "base64" && text::istarts_with(s.substr(start), "base64:")) {
      // Decoded from the raw text: the body buffer is lower case. The result is a lookup's name
      // ("am5kaQ==" = "jndi") or a whole lookup ("${jndi:...}").
      push_base64(s.substr(start + 7, close - start - 7), out);
      return i;
    }
    if (prefix == "lower" || prefix == "upper" || prefix == "date") {
      rendered = b.substr(colon + 1);
      if (prefix == "date" && rendered.size() >= 2 && rendered.front() == '\'') rendered = rendered.substr(1, rendered.size() - 2);
    }
  }
  // A lookup that stays a lookup ("${jndi:...}") keeps its "${" so the caller can see it.
  if (depth > 0 && rendered.data() == b.data() && colon != std::string_view::npos) {
    out.push('$');
    out.push('{');
  }
  for (char c : rendered) out.push(c);
  return i;
}

constexpr std::string_view kProtocols[] = {"ldap", "ldaps", "rmi", "dns", "iiop", "corba", "nds", "nis", "http", "https"};

class JndiDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::jndi; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    for (std::size_t at = s.find("${"); at != std::string_view::npos; at = s.find("${", at + 2)) {
      Buffer r;
      const std::size_t end = resolve(s, at + 2, r, 0);
      const std::string_view v = r.view();
      const std::size_t j = v.find("jndi");
      std::string_view rest = j == std::string_view::npos ? std::string_view() : v.substr(j + 4);
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
      if (rest.empty() || rest.front() != ':') {
        // The lookup was resolved as a whole; resume after it (keeps the scan linear).
        at = end > at + 2 ? end - 2 : at;
        continue;
      }
      rest.remove_prefix(1);
      int score = 85;  // "${jndi:" with an unknown or hidden protocol
      for (auto p : kProtocols) {
        if (rest.starts_with(p) && rest.size() > p.size() && rest[p.size()] == ':') score = 95;
      }
      text::report(out, AttackClass::jndi, value, s, at, end - at, score,
                   score == 95 ? "jndi lookup with a network protocol" : "jndi lookup");
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Detector> make_jndi() { return std::make_unique<JndiDetector>(); }

}  // namespace waf::engine
