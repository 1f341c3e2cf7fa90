#pragma once
// Option handling shared by every role. Every option is a flag (--upstream), an environment
// variable (WAF_UPSTREAM) and a key of the optional config file (upstream = "..."), in that order
// of precedence, then its default. CLI11 reads config files before the environment, which would
// invert the order, so the config file is applied here, after the flags and the environment.
#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

#include "common/log.hpp"
#include "common/result.hpp"

namespace waf::options {

// Options every role has: --config, --log-level, --log-format.
struct CommonOptions {
  std::string config_file;
  std::string log_level = "info";
  std::string log_format = "auto";  // auto: JSON unless stderr is a terminal
};

// Creates the CLI11 app of a role ("waf proxy") with the common options.
void add_common_options(CLI::App& app, CommonOptions& common);

// Parses argv: flags, then WAF_* variables, then the config file. Returns -1 when the role should
// run, otherwise the exit code (0 after --help, 2 after a bad option, with one line on stderr that
// names the option).
int parse(CLI::App& app, CommonOptions& common, int argc, const char* const* argv);

// WAF_<NAME> for --name ("--upstream-connect-timeout" -> "WAF_UPSTREAM_CONNECT_TIMEOUT").
std::string env_name(std::string_view long_flag);

// Validators with messages that name the problem; CLI11 prefixes the option name.
extern const CLI::Validator kHostPort;      // HOST:PORT, [V6]:PORT or :PORT
extern const CLI::Validator kDuration;      // 500ms, 10s, 2m
extern const CLI::Validator kByteSize;      // 512, 64k, 16Ki, 10MiB

// Parses a duration ("250ms", "10s", "2m", "1h"; a bare number means seconds) into milliseconds.
Result<std::int64_t> parse_duration_ms(std::string_view text);
// Parses a size ("4096", "64k", "64KiB", "16M", "1Gi") into bytes; k/M/G are powers of 1024.
Result<std::uint64_t> parse_byte_size(std::string_view text);

}  // namespace waf::options

namespace waf::options {
// For roles whose issue has not landed yet: their options parse for real, then this says so.
int not_built_yet(const CLI::App& app);
}  // namespace waf::options
