#pragma once
// OS command injection: a small shell tokenizer looks at what follows each command boundary
// (start of value, ; | || && & newline, `...`, $(...), <(...)). After unquoting the word the shell
// would run ("c'a't", "c\at", "/bin/cat", "w$@hoami", "${IFS}" as a blank), a known program with
// a plausible argument (an option, a path, a URL, an address, a variable, nothing) is a finding.
// "Tom & Jerry; cat lovers" has a separator and a program name but no shell-like argument.
// Besides: cmd.exe IF/FOR statements, brace expansion building a name ("{,ifconfig}"), glob
// paths to binaries ("/???/c?t"), commands read from variables the value assigned, aliases.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_command_injection();

}  // namespace waf::engine
