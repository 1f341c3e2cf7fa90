#pragma once
// XML external entities: a DOCTYPE that declares entities resolved from outside the document
// (SYSTEM/PUBLIC identifiers, parameter entities "%name;" used to pull in external DTDs), an
// external DTD subset, entity-expansion bombs, and XInclude. Looked for in the XML body's DOCTYPE
// and in any value that carries a DOCTYPE (XML posted inside a form field or JSON string).
// A DOCTYPE without entities ("<!DOCTYPE html>") is not flagged.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_xxe();

}  // namespace waf::engine
