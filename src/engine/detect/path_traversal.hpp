#pragma once
// Path traversal and local file inclusion: "../" runs (in every separator and dot spelling the
// decoder leaves: "..\", "....//", "..;/", ".../") that climb out of the web root, and references
// to files an application never serves (/etc/passwd, win.ini, /proc/self/environ, .ssh keys).
// One "../" in a relative link is normal; depth or a sensitive target makes it an attack.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_path_traversal();

}  // namespace waf::engine
