#pragma once
// Request headers whose value is fully described by a small grammar (RFC 9110 lists of media
// types, codings, languages and parameters; fetch metadata and client hints). A value that matches
// its header's grammar, with tokens limited to letters, digits and "-._+*", has no room for any
// payload a detector looks for, so the engine lets it skip them: these headers are in every
// browser request and were a third of the detectors' work on a typical GET.
#include <string_view>

namespace waf::engine {

// `name` in lower case. False for headers without a known grammar and for values outside it.
bool benign_header(std::string_view name, std::string_view value) noexcept;

}  // namespace waf::engine
