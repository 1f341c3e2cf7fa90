#pragma once
// When a value can carry an OS command (see command_injection_prefilter.cpp for why these bytes and words).
#include "engine/detect/prefilter.hpp"

namespace waf::engine {

const Prefilter& command_injection_prefilter() noexcept;

}  // namespace waf::engine
