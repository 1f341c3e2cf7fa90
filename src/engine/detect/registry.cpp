#include "engine/detect/registry.hpp"

namespace waf::engine {
namespace {

// One line per detector: {"<key>", make_<key>}, declared in detect/<key>.hpp.
const DetectorEntry kDetectors[] = {
    {"placeholder_none", nullptr},
};

}  // namespace

std::span<const DetectorEntry> detector_registry() noexcept {
  return std::span<const DetectorEntry>(kDetectors).first(0);
}

}  // namespace waf::engine
