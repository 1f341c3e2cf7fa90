#pragma once
// Server-side template and code injection: template delimiters ({{ }}, {% %}, ${ }, #{ }, *{ },
// <%= %>, <#assign>) whose content is an expression rather than a plain name (arithmetic, calls,
// attribute walks to __class__/__globals__, SpEL T(...), filters), and the server-side JavaScript
// gadgets that template and deserialisation exploits end in (child_process, process.mainModule,
// constructor.constructor, _$$ND_FUNC$$_, __proto__ pollution in argument names and JSON keys).
// "{{name}}" in a mustache snippet, "${HOME}" in a shell example and "#{id}" are not flagged.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_ssti();

}  // namespace waf::engine
