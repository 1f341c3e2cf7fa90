#pragma once
// Filtration modes (PRODUCT.md): off = plain proxy, monitoring = detect and report only,
// safe_blocking = block attacks from grey-listed IPs only, block = block every attack.
#include <optional>
#include <string_view>

namespace waf::engine {

enum class Mode { off, monitoring, safe_blocking, block };

std::string_view name(Mode mode) noexcept;
std::optional<Mode> mode_from_name(std::string_view text) noexcept;

}  // namespace waf::engine
