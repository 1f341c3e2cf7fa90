#pragma once
// The policy the workers inspect with, swapped atomically on reload. A reload that fails keeps the
// last good policy running and says why; workers never see a half-loaded policy.
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/policy/compiled_policy.hpp"

namespace waf::proxy {

class PolicyStore {
 public:
  // `file` empty: the built-in policy. `mode`: the --mode given on the command line, environment or
  // config file, which wins over the policy file's top-level mode (per-path modes still apply).
  // `body_limit`, when given, likewise overrides the policy's inspect_body_limit.
  PolicyStore(std::string file, std::optional<engine::Mode> mode, std::optional<std::uint64_t> body_limit);
  // Loads the file (or the built-in policy). Returns the error and keeps the current policy on failure.
  Status load();
  // Reloads when the file's modification time or size changed since the last load attempt.
  Status reload_if_changed();
  std::shared_ptr<const engine::CompiledPolicy> current() const noexcept { return current_.load(); }
  const std::string& file() const noexcept { return file_; }

 private:
  std::string file_;
  std::optional<engine::Mode> mode_;
  std::optional<std::uint64_t> body_limit_;
  std::filesystem::file_time_type seen_mtime_{};
  std::uintmax_t seen_size_ = 0;
  std::atomic<std::shared_ptr<const engine::CompiledPolicy>> current_;
};

}  // namespace waf::proxy
