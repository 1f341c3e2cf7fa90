#include "engine/policy/mode.hpp"

namespace waf::engine {

std::string_view name(Mode mode) noexcept {
  switch (mode) {
    case Mode::off: return "off";
    case Mode::monitoring: return "monitoring";
    case Mode::safe_blocking: return "safe_blocking";
    case Mode::block: return "block";
  }
  return "unknown";
}

std::optional<Mode> mode_from_name(std::string_view text) noexcept {
  for (const Mode m : {Mode::off, Mode::monitoring, Mode::safe_blocking, Mode::block}) {
    if (name(m) == text) return m;
  }
  return std::nullopt;
}

}  // namespace waf::engine
