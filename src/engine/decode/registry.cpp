#include "engine/decode/registry.hpp"

#include "engine/decode/base64.hpp"
#include "engine/decode/html_entity.hpp"
#include "engine/decode/js_escape.hpp"
#include "engine/decode/path.hpp"
#include "engine/decode/percent.hpp"
#include "engine/decode/percent_u.hpp"
#include "engine/decode/plus.hpp"
#include "engine/decode/utf8.hpp"
#include "engine/decode/whitespace.hpp"

namespace waf::engine {
namespace {

template <typename T>
std::unique_ptr<Decoder> make() {
  return std::make_unique<T>();
}

constexpr KindMask kAll = ~KindMask{0};
// '+' is a space only in HTML form encoding: query strings and form bodies.
constexpr KindMask kFormEncoded = kind_bit(LocationKind::query_name) | kind_bit(LocationKind::query_value) |
                                  kind_bit(LocationKind::form_value);
// Base64 hides whole payloads in argument values, cookies, path segments and bodies; argument
// names are not worth the false positives.
constexpr KindMask kBase64Carriers =
    kind_bit(LocationKind::path) | kind_bit(LocationKind::query_value) | kind_bit(LocationKind::form_value) |
    kind_bit(LocationKind::cookie) | kind_bit(LocationKind::header) | kind_bit(LocationKind::multipart_value) |
    kind_bit(LocationKind::json_value) | kind_bit(LocationKind::xml_text) | kind_bit(LocationKind::body_text);
// Path normalisation would break URLs inside values ("http://x" -> "http:/x"), so it is for paths.
constexpr KindMask kPath = kind_bit(LocationKind::path);

constexpr ByteSet utf8_triggers() {
  ByteSet s("\xC0\xC1\xE0\xEF\xF0");
  return s;
}
constexpr ByteSet whitespace_triggers() {
  ByteSet s(std::string_view("\0\v\f\xC2", 4));
  return s;
}

// Both alphabets of base64.hpp and the padding.
constexpr ByteSet base64_alphabet() {
  ByteSet s("+/-_=");
  s.add_range('A', 'Z');
  s.add_range('a', 'z');
  s.add_range('0', '9');
  return s;
}

// Order matters: '+' before percent (so %2B stays a plus), %uXXXX before %XX, byte-level
// decodings before the overlong UTF-8 they can reveal, path normalisation last.
const DecoderEntry kDecoders[] = {
    {"plus", make<PlusDecoder>, kFormEncoded, true, ByteSet("+"), ByteSet{}},
    {"percent_u", make<PercentUDecoder>, kAll, false, ByteSet("%"), ByteSet{}},
    {"percent", make<PercentDecoder>, kAll, false, ByteSet("%"), ByteSet{}},
    {"utf8", make<Utf8Decoder>, kAll, false, utf8_triggers(), ByteSet{}},
    {"html_entity", make<HtmlEntityDecoder>, kAll, false, ByteSet("&"), ByteSet{}},
    {"js_escape", make<JsEscapeDecoder>, kAll, false, ByteSet("\\"), ByteSet{}},
    {"whitespace", make<WhitespaceDecoder>, kAll, false, whitespace_triggers(), ByteSet{}},
    {"base64", make<Base64Decoder>, kBase64Carriers, false, ByteSet{}, base64_alphabet()},
    {"path", make<PathDecoder>, kPath, false, ByteSet("/\\.;"), ByteSet{}},
};

}  // namespace

std::span<const DecoderEntry> decoder_registry() noexcept { return kDecoders; }

}  // namespace waf::engine
