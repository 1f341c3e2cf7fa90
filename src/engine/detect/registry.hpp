#pragma once
// The one list of detectors, read by the engine, the policy loader, the unit runner, the fuzzer and
// `waf inspect`. An explicit table rather than self-registering statics: the linker drops
// unreferenced objects from static libraries, and we link fully static.
#include <span>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::span<const DetectorEntry> detector_registry() noexcept;

}  // namespace waf::engine
