#include "common/log.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>

#include "common/json_writer.hpp"

namespace waf::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};
std::atomic<bool> g_json{isatty(STDERR_FILENO) == 0};
std::string g_role = "waf";  // set once at startup, before any worker starts

constexpr std::string_view level_name(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

std::string now_rfc3339() {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

bool parse_level(std::string_view text, Level& out) {
  for (auto l : {Level::debug, Level::info, Level::warn, Level::error}) {
    if (text == level_name(l)) {
      out = l;
      return true;
    }
  }
  return false;
}
void set_level(Level level) { g_level.store(static_cast<int>(level), std::memory_order_relaxed); }
bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }
void set_json(bool json) { g_json.store(json, std::memory_order_relaxed); }
void set_role(std::string_view role) { g_role = role; }

std::string render(Level level, std::string_view event, Fields fields, bool json, std::string_view timestamp) {
  std::string line;
  if (json) {
    json::ObjectWriter o(line);
    o.field("time", timestamp).field("level", level_name(level)).field("role", g_role).field("event", event);
    for (const auto& f : fields) {
      std::visit(Overloaded{[&](std::string_view v) { o.field(f.key, v); }, [&](std::int64_t v) { o.field(f.key, v); },
                            [&](std::uint64_t v) { o.field(f.key, v); }, [&](double v) { o.field(f.key, v); },
                            [&](bool v) { o.field(f.key, v); }},
                 f.value);
    }
    o.close();
    return line;
  }
  line = fmt::format("{} {:5} {}", timestamp, level_name(level), event);
  for (const auto& f : fields) {
    line += fmt::format(" {}=", f.key);
    std::visit(Overloaded{[&](std::string_view v) { line.append(v); },
                          [&](auto v) { line += fmt::format("{}", v); }},
               f.value);
  }
  return line;
}

void write_line(std::string_view text) {
  std::string line(text);
  line.push_back('\n');
  // One write per line: the kernel keeps concurrent appends to a pipe whole up to PIPE_BUF, and
  // longer lines are rare (evidence is truncated before it is logged).
  std::size_t done = 0;
  while (done < line.size()) {
    const auto n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

void write(Level level, std::string_view event, Fields fields) {
  write_line(render(level, event, fields, g_json.load(std::memory_order_relaxed), now_rfc3339()));
}

}  // namespace waf::log
