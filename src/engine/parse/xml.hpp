#pragma once
// XML bodies: a small tolerant tokenizer, not a validating parser. Element text becomes
// "<prefix>.root.item" (LocationKind::xml_text), attributes "<prefix>.root.item@id", and the
// DOCTYPE with its ENTITY declarations one xml_doctype value "<prefix>.!doctype", which is where
// XXE lives. Entities are never expanded. Malformed input is read as far as it makes sense; the
// remainder becomes text at the current element, so a broken document hides nothing.
#include <string_view>

#include "engine/parse/value_collector.hpp"

namespace waf::engine {

void parse_xml(std::string_view text, std::string_view prefix, ValueCollector& out);

}  // namespace waf::engine
