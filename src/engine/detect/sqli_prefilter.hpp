#pragma once
// When a value can carry SQL injection (see sqli_prefilter.cpp for why these bytes and words).
#include "engine/detect/prefilter.hpp"

namespace waf::engine {

const Prefilter& sqli_prefilter() noexcept;

}  // namespace waf::engine
