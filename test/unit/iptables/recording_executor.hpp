#pragma once
// An Executor for tests: records every command and answers from a script instead of running
// anything (Istio's StdoutStubDependencies). Unscripted programs succeed with empty output.
#include <map>
#include <string>
#include <vector>

#include "iptables/executor.hpp"

namespace waf::iptables {

class RecordingExecutor final : public Executor {
 public:
  Result<CommandResult> run(const Command& command) override {
    commands.push_back(command);
    const auto& program = command.argv.front();
    if (missing.count(program) != 0) return make_error(program + ": not found");
    if (const auto it = answers.find(program); it != answers.end()) return it->second;
    return CommandResult{};
  }

  // The argv of each recorded command joined by spaces, for compact assertions.
  std::vector<std::string> command_lines() const {
    std::vector<std::string> lines;
    for (const auto& c : commands) {
      std::string line;
      for (const auto& a : c.argv) line += (line.empty() ? "" : " ") + a;
      lines.push_back(line);
    }
    return lines;
  }

  std::map<std::string, CommandResult> answers;  // by program name (argv[0])
  std::map<std::string, bool> missing;           // programs that "are not installed"
  std::vector<Command> commands;
};

}  // namespace waf::iptables
