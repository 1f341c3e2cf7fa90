#pragma once
// Times on the wire and in the API: RFC 3339 ("2026-11-22T15:45:00Z", "2026-11-22T15:45:00.123+01:00")
// or, in API parameters, unix milliseconds. Pure functions, no time zone database.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace waf {

// RFC 3339 date-time with 'T' and 'Z' (either case) or a numeric offset; fractions of a second
// are kept to the millisecond. nullopt for anything else, including impossible dates.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text) noexcept;

// An API time parameter: RFC 3339, or all digits for unix milliseconds.
std::optional<std::int64_t> parse_time_param_ms(std::string_view text) noexcept;

// "2026-11-22T15:45:00.000Z".
std::string format_time_ms(std::int64_t unix_ms);

}  // namespace waf
