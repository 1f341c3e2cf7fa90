#pragma once
// Cross-site scripting: an HTML tokenizer finds tags and their attributes (dangerous elements,
// event handlers, script URLs, style expressions), plus the attribute and JavaScript contexts an
// injected value lands in without a tag: `" onmouseover=alert(1) x="`, `';alert(1)//`, a
// `javascript:` URL, JSFuck. Plain HTML from rich-text editors (<p>, <b>, <a href="https://...">)
// and prose with `<`, `script` or `alert` is not flagged.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_xss();

}  // namespace waf::engine
