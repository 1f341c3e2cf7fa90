#pragma once
// The web console's files (index.html, app.js, app.css), embedded in the binary by
// cmake/embed.cmake so that `waf postanalytics` serves them with nothing beside it on disk.
#include <optional>
#include <string_view>

namespace waf::postanalytics::console {

struct Asset {
  std::string_view content_type, body;  // static storage
};

// "/" and "/console/" -> index.html, "/console/<file>" -> that file; nullopt for anything else
// (no directory listing, no "..": only the names embedded at build time exist).
std::optional<Asset> find_console_asset(std::string_view path) noexcept;

// The Content-Security-Policy the console is written for: no inline script, style or handler, and
// nothing loaded from anywhere but the server itself. Serve it with every console response.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

}  // namespace waf::postanalytics::console
