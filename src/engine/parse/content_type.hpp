#pragma once
// Media type and the parameters the body parsers need (RFC 9110 section 8.3.1).
#include <string>
#include <string_view>

namespace waf::engine {

enum class BodyFormat { none, form, multipart, json, xml, text };

struct ContentType {
  std::string media_type;     // lower case, no parameters: "multipart/form-data"
  std::string_view boundary;  // multipart boundary, unquoted (a view into the header value)
};

ContentType parse_content_type(std::string_view header_value);

// Which parser reads a body of this media type; `body` is sniffed when the type says nothing
// useful, because applications that parse JSON regardless of the header are common and attackers
// drop or fake the header to slip past the parser a WAF would pick.
BodyFormat body_format(const ContentType& type, std::string_view body);

}  // namespace waf::engine
