#pragma once
// What a detector looks at: one client-controlled value at one location of the request.
#include <cstddef>
#include <string_view>

namespace waf::engine {

class ByteSet;  // decode/byte_set.hpp

// Where a value came from. Detectors use it to apply their grammar only where it can matter
// (XXE only in XML, scanner fingerprints in headers, CRLF where a value reaches a header).
enum class LocationKind {
  method,
  path,             // the decoded, normalised path and each path segment
  query_name,       // an argument name: query, form and multipart field names
  query_value,      // an argument value (query.*)
  header,           // header.<name>
  cookie,           // cookie.<name>
  form_value,       // form.<name> (application/x-www-form-urlencoded body)
  multipart_value,  // multipart.<field>
  multipart_filename,
  json_key,
  json_value,       // json.user.tags[2]
  xml_text,         // element text and attribute values (xml.root.item, xml.root.item@id)
  xml_doctype,      // the DOCTYPE/ENTITY declarations of an XML body
  body_text,        // a body with no structured parser (text/plain and unknown types); stays last
};
inline constexpr std::size_t kLocationKinds = static_cast<std::size_t>(LocationKind::body_text) + 1;

struct Value {
  std::string_view raw;       // as received (still percent-encoded where it was)
  std::string_view decoded;   // after the decoding chain (equal to raw when nothing decoded)
  std::string_view location;  // "query.id", "json.user.name", "header.user-agent"
  LocationKind kind;
  // Every byte value `decoded` holds, and maybe more (the engine's set also holds raw's bytes
  // except the '%' and '+' of a decoded encoding): a detector may skip a search for a byte it
  // lacks, never conclude a byte is present. Null: unknown (a Value built without the engine, as
  // the unit tests do); text::bytes_of() then computes it.
  const ByteSet* bytes = nullptr;
};

}  // namespace waf::engine
