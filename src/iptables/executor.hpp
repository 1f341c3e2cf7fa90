#pragma once
// Runs the iptables programs. apply() only talks to this interface: production uses
// ProcessExecutor, tests a RecordingExecutor that records commands and replays scripted answers
// (as Istio's dependencies.RealDependencies / StdoutStubDependencies).
#include <chrono>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace waf::iptables {

struct Command {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH, then /usr/sbin and /sbin
  std::string stdin_text;
};

struct CommandResult {
  int exit_code = 0;  // 128 + signal number when killed
  std::string out;
  std::string err;
};

class Executor {
 public:
  virtual ~Executor() = default;
  // An Error only when the program could not be run at all (not found, timed out); a program
  // that ran and failed is a CommandResult with a non-zero exit code.
  virtual Result<CommandResult> run(const Command& command) = 0;
};

class ProcessExecutor final : public Executor {
 public:
  // iptables-restore takes milliseconds; a program stuck on the xtables lock must not hold the
  // Pod's start forever, so it is killed after this.
  explicit ProcessExecutor(std::chrono::milliseconds timeout = std::chrono::seconds(30)) : timeout_(timeout) {}
  Result<CommandResult> run(const Command& command) override;

 private:
  std::chrono::milliseconds timeout_;
};

}  // namespace waf::iptables
