#include "iptables/apply.hpp"

#include <functional>

#include "iptables/render.hpp"
#include "iptables/ruleset_state.hpp"

namespace waf::iptables {
namespace {

bool permission_denied(const CommandResult& result) {
  return result.err.find("Permission denied") != std::string::npos ||
         result.err.find("Operation not permitted") != std::string::npos;
}

std::string first_line(const std::string& text) {
  auto line = text.substr(0, text.find('\n'));
  return line.empty() ? "(no message)" : line;
}

// One-line error for a program that failed; without NET_ADMIN the Pod must not start
// unprotected, so that case says what to fix.
Error failure(const Command& command, const CommandResult& result) {
  const auto& program = command.argv.front();
  if (permission_denied(result)) {
    return make_error("no permission to change iptables rules: the init container needs the NET_ADMIN and NET_RAW "
                      "capabilities (" + program + ": " + first_line(result.err) + ")");
  }
  return make_error(program + " failed with exit code " + std::to_string(result.exit_code) + ": " + first_line(result.err));
}

Result<std::string> run_checked(Executor& executor, const Command& command) {
  auto result = executor.run(command);
  if (!result) return result.error();
  if (result->exit_code != 0) return failure(command, *result);
  return std::move(result->out);
}

using Transition = std::function<std::string(const RulePlan&, const RulesetState&)>;

// For each family: read the table, render the transition from what is there, write it if any.
Result<std::vector<FamilyChange>> converge(const RulePlan& plan, Backend backend, Executor& executor,
                                          const Transition& transition) {
  std::vector<FamilyChange> changes;
  for (const Family family : plan.families) {
    const auto progs = programs(backend, family);
    auto saved = run_checked(executor, {{progs.save, "-t", plan.table}, {}});
    if (!saved) return saved.error();
    const std::string text = transition(plan, observe(*saved, plan));
    if (!text.empty()) {
      auto restored = run_checked(executor, {{progs.restore, "--noflush"}, text});
      if (!restored) return restored.error();
    }
    changes.push_back({family, !text.empty()});
  }
  return changes;
}

}  // namespace

const char* backend_name(Backend backend) { return backend == Backend::nft ? "nft" : "legacy"; }

Programs programs(Backend backend, Family family) {
  const std::string base = family == Family::ipv4 ? "iptables" : "ip6tables";
  const std::string kind = backend == Backend::nft ? "-nft" : "-legacy";
  return {base + kind + "-save", base + kind + "-restore"};
}

Result<Backend> choose_backend(std::optional<std::size_t> legacy_rules, std::optional<std::size_t> nft_rules) {
  if (!legacy_rules && !nft_rules) {
    return make_error("neither iptables-nft-save nor iptables-legacy-save works here; is iptables installed?");
  }
  if (!nft_rules) return Backend::legacy;
  if (legacy_rules && *legacy_rules > *nft_rules) return Backend::legacy;
  return Backend::nft;
}

Result<Backend> detect_backend(Executor& executor) {
  std::optional<std::size_t> counts[2];
  const Backend backends[2] = {Backend::legacy, Backend::nft};
  for (int i = 0; i < 2; ++i) {
    const Command command{{programs(backends[i], Family::ipv4).save}, {}};
    auto result = executor.run(command);
    if (!result) continue;  // not installed: that back end is simply not a candidate
    if (result->exit_code != 0 && permission_denied(*result)) return failure(command, *result);
    if (result->exit_code == 0) counts[i] = count_rules(result->out);
  }
  return choose_backend(counts[0], counts[1]);
}

Result<std::vector<FamilyChange>> apply(const RulePlan& plan, Backend backend, Executor& executor) {
  return converge(plan, backend, executor, render_apply);
}

Result<std::vector<FamilyChange>> remove(const RulePlan& plan, Backend backend, Executor& executor) {
  return converge(plan, backend, executor, render_remove);
}

}  // namespace waf::iptables
