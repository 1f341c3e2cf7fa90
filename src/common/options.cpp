#include "common/options.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <iostream>

#include "common/net/endpoint.hpp"

namespace waf::options {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits "64KiB" into 64 and "kib".
bool split_number(std::string_view text, double& number, std::string& unit) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) return false;
  const std::string digits(text.substr(0, i));
  char* end = nullptr;
  number = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size()) return false;
  unit = lower(text.substr(i));
  return true;
}

void apply_config_file(CLI::App& app, const std::string& path) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(path);
  } catch (const CLI::FileError&) {
    throw CLI::ValidationError("--config", fmt::format("cannot read config file '{}'", path));
  }
  for (const auto& item : items) {
    if (item.name == "++" || item.name == "--") continue;  // section markers
    const auto key = item.parents.empty() ? item.name : fmt::format("{}.{}", fmt::join(item.parents, "."), item.name);
    auto* opt = app.get_option_no_throw("--" + key);
    if (opt == nullptr || key == "config") {
      throw CLI::ValidationError("--config", fmt::format("{}: unknown key '{}'", path, key));
    }
    if (opt->count() > 0) continue;  // a flag or WAF_* variable already set it
    for (const auto& v : item.inputs) opt->add_result(v);
    try {
      opt->run_callback();
    } catch (const CLI::ParseError& e) {
      throw CLI::ValidationError("--config", fmt::format("{}: key '{}': {}", path, key, e.what()));
    }
  }
}

}  // namespace

std::string env_name(std::string_view long_flag) {
  std::string out = "WAF_";
  auto name = long_flag;
  while (!name.empty() && name.front() == '-') name.remove_prefix(1);
  for (char c : name) out.push_back(c == '-' || c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

void add_common_options(CLI::App& app, CommonOptions& common) {
  app.add_option("--config", common.config_file, "Config file (TOML: one 'option-name = value' per line)")
      ->check(CLI::ExistingFile);
  app.add_option("--log-level", common.log_level, "Log level: debug, info, warn, error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--log-format", common.log_format, "Log format: auto (JSON unless on a terminal), json, text")
      ->check(CLI::IsMember({"auto", "json", "text"}))
      ->capture_default_str();
}

int parse(CLI::App& app, CommonOptions& common, int argc, const char* const* argv) {
  for (auto* opt : app.get_options()) {
    const auto& names = opt->get_lnames();
    if (!names.empty() && names.front() != "help" && opt->get_envname().empty()) {
      opt->envname(env_name(names.front()));
    }
  }
  try {
    app.parse(argc, argv);
    if (!common.config_file.empty()) apply_config_file(app, common.config_file);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    for (auto& c : message) {
      if (c == '\n') c = ' ';
    }
    std::cerr << app.get_name() << ": " << message << "\n";
    return 2;
  }
  log::Level level{};
  log::parse_level(common.log_level, level);
  log::set_level(level);
  if (common.log_format != "auto") log::set_json(common.log_format == "json");
  return -1;
}

Result<std::int64_t> parse_duration_ms(std::string_view text) {
  double n = 0;
  std::string unit;
  if (!split_number(text, n, unit)) return make_error(fmt::format("'{}' is not a duration (e.g. 500ms, 10s, 2m)", text));
  double ms = 0;
  if (unit == "ms") ms = n;
  else if (unit.empty() || unit == "s") ms = n * 1000;
  else if (unit == "m") ms = n * 60'000;
  else if (unit == "h") ms = n * 3'600'000;
  else return make_error(fmt::format("'{}' has an unknown unit (use ms, s, m or h)", text));
  if (ms > 1e12) return make_error(fmt::format("'{}' is too long", text));
  return static_cast<std::int64_t>(ms);
}

Result<std::uint64_t> parse_byte_size(std::string_view text) {
  double n = 0;
  std::string unit;
  if (!split_number(text, n, unit)) return make_error(fmt::format("'{}' is not a size (e.g. 4096, 64KiB, 16MiB)", text));
  double mult = 1;
  if (unit.empty() || unit == "b") mult = 1;
  else if (unit == "k" || unit == "ki" || unit == "kb" || unit == "kib") mult = 1024.0;
  else if (unit == "m" || unit == "mi" || unit == "mb" || unit == "mib") mult = 1024.0 * 1024;
  else if (unit == "g" || unit == "gi" || unit == "gb" || unit == "gib") mult = 1024.0 * 1024 * 1024;
  else return make_error(fmt::format("'{}' has an unknown unit (use KiB, MiB or GiB)", text));
  if (n * mult > 1e15) return make_error(fmt::format("'{}' is too large", text));
  return static_cast<std::uint64_t>(n * mult);
}

namespace {
template <typename Parse>
CLI::Validator make_validator(std::string name, Parse parse) {
  return CLI::Validator(
      [parse](std::string& s) -> std::string {
        auto r = parse(s);
        return r.ok() ? std::string() : r.error().message;
      },
      name);
}
}  // namespace

const CLI::Validator kHostPort = make_validator("HOST:PORT", [](const std::string& s) { return net::parse_host_port(s); });
const CLI::Validator kDuration = make_validator("DURATION", [](const std::string& s) { return parse_duration_ms(s); });
const CLI::Validator kByteSize = make_validator("SIZE", [](const std::string& s) { return parse_byte_size(s); });

}  // namespace waf::options

namespace waf::options {
int not_built_yet(const CLI::App& app) {
  std::cerr << app.get_name() << ": not built yet in this version (options were valid)\n";
  return 1;
}
}  // namespace waf::options
