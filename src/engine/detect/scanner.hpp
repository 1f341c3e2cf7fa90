#pragma once
// Security scanners and attack tools that announce themselves: product names in User-Agent (and
// the other headers some of them set, e.g. Acunetix's "Acunetix-Aspect", Burp Collaborator hosts),
// matched as whole tokens so "Nikto" matches "Mozilla/5.00 (Nikto/2.1.6)" but "nmap" does not
// match a word that merely contains it.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_scanner();

}  // namespace waf::engine
