#pragma once
// CRLF injection / HTTP response splitting and request smuggling through values: a CR or LF in a
// value that can reach a header (path, query, cookie, header, form field) followed by something
// a server would read as a header line ("Set-Cookie: x", "Location: ...") or a status or request
// line ("HTTP/1.1 200 OK", "GET / HTTP/1.1"). Multi-line text in bodies is normal and only flagged
// when the next line is one of the headers an attacker would inject.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_crlf();

}  // namespace waf::engine
