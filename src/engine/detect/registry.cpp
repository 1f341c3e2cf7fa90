#include "engine/detect/registry.hpp"

#include "engine/detect/command_injection.hpp"
#include "engine/detect/crlf.hpp"
#include "engine/detect/jndi.hpp"
#include "engine/detect/ldapi.hpp"
#include "engine/detect/nosqli.hpp"
#include "engine/detect/path_traversal.hpp"
#include "engine/detect/rfi_ssrf.hpp"
#include "engine/detect/scanner.hpp"
#include "engine/detect/sqli.hpp"
#include "engine/detect/ssti.hpp"
#include "engine/detect/xss.hpp"
#include "engine/detect/xxe.hpp"

namespace waf::engine {
namespace {

// One line per detector: {"<key>", make_<key>}, declared in detect/<key>.hpp.
const DetectorEntry kDetectors[] = {
    {"sqli", make_sqli},
    {"xss", make_xss},
    {"path_traversal", make_path_traversal},
    {"rfi_ssrf", make_rfi_ssrf},
    {"command_injection", make_command_injection},
    {"ssti", make_ssti},
    {"nosqli", make_nosqli},
    {"ldapi", make_ldapi},
    {"xxe", make_xxe},
    {"jndi", make_jndi},
    {"crlf", make_crlf},
    {"scanner", make_scanner},
};

}  // namespace

std::span<const DetectorEntry> detector_registry() noexcept { return kDetectors; }

}  // namespace waf::engine
