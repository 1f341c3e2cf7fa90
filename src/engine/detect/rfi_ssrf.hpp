#pragma once
// Remote file inclusion and server-side request forgery: URLs in arguments that make the server
// fetch something it should not. Odd schemes (file, gopher, dict, php://, jar:, expect://, ...),
// cloud metadata endpoints, and loopback / private / link-local hosts written in any notation
// (dotted, integer, hex, octal, shortened, IPv6 and IPv4-mapped IPv6). A plain https link to a
// public host name is not flagged: links are everywhere in benign traffic.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_rfi_ssrf();

}  // namespace waf::engine
