// `waf inspect`: the engine and a policy, offline, on raw HTTP requests (files, directories of
// files, or stdin); one JSON verdict per request on stdout. The shell around raw_request.hpp,
// engine::inspect() and verdict_line.hpp.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "common/options.hpp"
#include "engine/engine.hpp"
#include "engine/header_memo.hpp"
#include "engine/policy/policy_file.hpp"
#include "inspect/raw_request.hpp"
#include "inspect/verdict_line.hpp"
#include "roles.hpp"

namespace waf::inspect {
namespace {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// Files to inspect, in order: each argument, a directory expanded to its regular files sorted
// by name. An unreadable argument is reported as an error line, not a reason to stop.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (!fs::is_directory(input, ec)) {
      files.push_back(input);
      continue;
    }
    std::vector<std::string> entries;
    for (const auto& entry : fs::directory_iterator(input, ec)) {
      if (entry.is_regular_file(ec)) entries.push_back(entry.path().string());
    }
    std::sort(entries.begin(), entries.end());
    files.insert(files.end(), entries.begin(), entries.end());
  }
  return files;
}

// `memo` is bound to the policy, as in a proxy worker: a capture's requests share their header
// values, which are then scanned once (same verdicts, and the proxy's code path).
std::string inspect_one(std::string_view name, std::string_view bytes, engine::HeaderMemo& memo,
                        std::string_view client_ip) {
  const auto raw = parse_raw_request(bytes);
  if (!raw) return render_error_line(name, raw.error().message);
  const engine::CompiledPolicy& policy = *memo.policy();
  const engine::Request request = to_engine_request(*raw, client_ip, policy.inspect_body_limit);
  return render_verdict_line(name, engine::inspect(request, policy, {}, &memo));
}

}  // namespace

int run(int argc, const char* const* argv) {
  CLI::App app{"Runs the detection engine on raw HTTP requests and prints one JSON verdict per request", argv[0]};
  options::CommonOptions common;
  std::string policy_file;
  std::string client_ip;
  std::vector<std::string> inputs;
  app.add_option("--policy", policy_file, "Policy file (JSON); default: the built-in policy (monitoring)")
      ->check(CLI::ExistingFile);
  app.add_option("--client-ip", client_ip, "Client IP for IP lists (default: X-Forwarded-For, if present)");
  app.add_option("inputs", inputs, "Files or directories of raw HTTP requests (default: stdin)");
  options::add_common_options(app, common);
  if (const int rc = options::parse(app, common, argc, argv); rc >= 0) return rc;

  engine::CompiledPolicy policy = engine::default_policy();
  if (!policy_file.empty()) {
    std::string text;
    if (!read_file(policy_file, text)) {
      std::fprintf(stderr, "waf inspect: --policy: cannot read %s\n", policy_file.c_str());
      return 2;
    }
    auto loaded = engine::load_policy(text);
    if (!loaded) {
      std::fprintf(stderr, "waf inspect: %s: %s\n", policy_file.c_str(), loaded.error().message.c_str());
      return 2;
    }
    policy = std::move(*loaded);
  }
  engine::HeaderMemo memo;
  memo.bind(std::make_shared<const engine::CompiledPolicy>(std::move(policy)));

  if (inputs.empty()) {
    const std::string bytes{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    std::cout << inspect_one("-", bytes, memo, client_ip) << '\n';
    return 0;
  }
  for (const auto& file : expand_inputs(inputs)) {
    std::string bytes;
    if (!read_file(file, bytes)) {
      std::cout << render_error_line(file, "cannot read file") << '\n';
      continue;
    }
    std::cout << inspect_one(file, bytes, memo, client_ip) << '\n';
  }
  return 0;
}

}  // namespace waf::inspect
