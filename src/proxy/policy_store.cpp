#include "proxy/policy_store.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "engine/policy/policy_file.hpp"

namespace waf::proxy {

PolicyStore::PolicyStore(std::string file, std::optional<engine::Mode> mode, std::optional<std::uint64_t> body_limit)
    : file_(std::move(file)), mode_(mode), body_limit_(body_limit) {}

Status PolicyStore::load() {
  std::string text(engine::kDefaultPolicyJson);
  if (!file_.empty()) {
    std::error_code ec;
    seen_mtime_ = std::filesystem::last_write_time(file_, ec);
    seen_size_ = std::filesystem::file_size(file_, ec);
    std::ifstream in(file_, std::ios::binary);
    if (!in) return make_error(fmt::format("--policy: cannot read '{}'", file_));
    std::ostringstream content;
    content << in.rdbuf();
    text = content.str();
  }
  auto policy = engine::load_policy(text);
  if (!policy) return make_error(fmt::format("--policy: {}: {}", file_.empty() ? "built-in" : file_, policy.error().message));
  if (mode_) policy->mode = *mode_;
  if (body_limit_) policy->inspect_body_limit = static_cast<std::size_t>(*body_limit_);
  current_.store(std::make_shared<const engine::CompiledPolicy>(std::move(*policy)));
  return Ok{};
}

Status PolicyStore::reload_if_changed() {
  if (file_.empty()) return Ok{};
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(file_, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(file_, ec);
  if (!ec && mtime == seen_mtime_ && size == seen_size_) return Ok{};
  return load();
}

}  // namespace waf::proxy
