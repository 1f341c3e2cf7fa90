#pragma once
// Server-side code injection outside the template engines (ssti) and the shell (command_injection):
// server-side include directives ("<!--#exec cmd=...-->"), PHP code ("<?php ...", "system($_GET[c])",
// "phpinfo()"), Struts/OGNL expressions reaching Java ("#_memberAccess", "@java.lang.Runtime@"),
// Spring's class-loader walk ("class.module.classLoader..."), JSP directives and serialized
// objects that a back end deserializes into classes (PHP "O:8:\"Foo\":1:{...}", YAML "!!python/").
// Each shape is a piece of syntax with a code meaning; the words alone ("system", "include",
// "class loader") in prose are not.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_code_injection();

}  // namespace waf::engine
