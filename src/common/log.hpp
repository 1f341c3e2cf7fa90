#pragma once
// One JSON object per line on stderr (plain text when stderr is a terminal), with stable
// snake_case event names: log::warn("upstream_connect_failed", {{"upstream", ep}, {"error", msg}}).
// Thread-safe; a line is written with one write(2) so lines from workers never interleave.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace waf::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

struct Field {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool> value;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, long v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, long long v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, unsigned v) : key(k), value(static_cast<std::uint64_t>(v)) {}
  Field(std::string_view k, unsigned long v) : key(k), value(static_cast<std::uint64_t>(v)) {}
  Field(std::string_view k, unsigned long long v) : key(k), value(static_cast<std::uint64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
};
using Fields = std::initializer_list<Field>;

// Parses "debug|info|warn|error"; returns false for anything else.
bool parse_level(std::string_view text, Level& out);
void set_level(Level level);
bool enabled(Level level);
// Forces JSON (true) or text (false); by default JSON unless stderr is a terminal.
void set_json(bool json);
void set_role(std::string_view role);

void write(Level level, std::string_view event, Fields fields);
inline void debug(std::string_view event, Fields fields = {}) { if (enabled(Level::debug)) write(Level::debug, event, fields); }
inline void info(std::string_view event, Fields fields = {}) { if (enabled(Level::info)) write(Level::info, event, fields); }
inline void warn(std::string_view event, Fields fields = {}) { if (enabled(Level::warn)) write(Level::warn, event, fields); }
inline void error(std::string_view event, Fields fields = {}) { write(Level::error, event, fields); }

// Writes one already rendered line (a newline is added) with the same single-write guarantee:
// for records that are JSON of their own, such as attack events.
void write_line(std::string_view line);

// Renders one log line (without the trailing newline); exposed for tests.
std::string render(Level level, std::string_view event, Fields fields, bool json, std::string_view timestamp);

}  // namespace waf::log
