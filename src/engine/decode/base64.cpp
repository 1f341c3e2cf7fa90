#include "engine/decode/base64.hpp"

#include <array>
#include <cstdint>

namespace waf::engine {
namespace {

constexpr std::array<std::int8_t, 256> make_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'A');
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 26);
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0' + 52);
  t['+'] = t['-'] = 62;  // standard and URL-safe alphabets
  t['/'] = t['_'] = 63;
  return t;
}
constexpr auto kTable = make_table();

// Text a person or a program would read: printable ASCII, tab/CR/LF, and UTF-8 sequences (a lead
// byte and as many continuation bytes as it announces; overlong forms pass, since the utf8 decoder
// reads them). Random bytes, what an opaque session token decodes to, almost never have that
// structure, and their stray punctuation would send the value through every detector. Checked as
// the bytes come: an ordinary word ("newsletter") fails at its first byte, before decoding the rest.
class TextCheck {
 public:
  bool accept(unsigned char c) noexcept {
    if (pending_ > 0) {
      --pending_;
      return (c & 0xC0) == 0x80;
    }
    if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\r' || c == '\n') return true;
    pending_ = c >= 0xC0 && c < 0xE0 ? 1 : c >= 0xE0 && c < 0xF0 ? 2 : c >= 0xF0 && c < 0xF8 ? 3 : 0;
    return pending_ > 0;
  }
  // No sequence is cut short by the end of the text.
  bool complete() const noexcept { return pending_ == 0; }

 private:
  int pending_ = 0;  // continuation bytes still announced
};

}  // namespace

bool Base64Decoder::decode(std::string_view in, std::string& out) const {
  std::string_view body = in;
  while (!body.empty() && body.back() == '=') body.remove_suffix(1);
  if (body.size() < kMinChars || in.size() - body.size() > 2 || body.size() % 4 == 1) return false;
  out.clear();
  std::uint32_t acc = 0;
  int bits = 0;
  TextCheck text;
  for (const char ch : body) {
    const int v = kTable[static_cast<unsigned char>(ch)];
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const auto byte = static_cast<unsigned char>((acc >> bits) & 0xFF);
      if (!text.accept(byte)) return false;
      out.push_back(static_cast<char>(byte));
    }
  }
  return text.complete();
}

}  // namespace waf::engine
