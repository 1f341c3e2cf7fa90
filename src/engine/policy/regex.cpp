#include "engine/policy/regex.hpp"

#include <pcre2.h>

namespace waf::engine {

// Limits per match: far above what a sane rule needs on a header or an argument, far below what
// backtracking on a hostile 64 KB value would take.
constexpr std::uint32_t kMatchLimit = 100000;
constexpr std::uint32_t kDepthLimit = 1000;

struct Regex::Compiled {
  pcre2_code* code = nullptr;
  pcre2_match_context* context = nullptr;
  Compiled() = default;
  Compiled(const Compiled&) = delete;
  Compiled& operator=(const Compiled&) = delete;
  ~Compiled() {
    pcre2_match_context_free(context);
    pcre2_code_free(code);
  }
};

Result<Regex> Regex::compile(std::string_view pattern) {
  auto compiled = std::make_shared<Compiled>();
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                                 &error_code, &error_offset, nullptr);
  if (compiled->code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error_code, message, sizeof message);
    return make_error("invalid regex at offset " + std::to_string(error_offset) + ": " + reinterpret_cast<const char*>(message));
  }
  // JIT is an optimisation only: without it (no executable memory) matching still works.
  pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE);
  compiled->context = pcre2_match_context_create(nullptr);
  if (compiled->context == nullptr) return make_error("out of memory compiling regex");
  pcre2_set_match_limit(compiled->context, kMatchLimit);
  pcre2_set_depth_limit(compiled->context, kDepthLimit);
  return Regex(std::move(compiled));
}

bool Regex::matches(std::string_view subject) const noexcept {
  pcre2_match_data* data = pcre2_match_data_create_from_pattern(compiled_->code, nullptr);
  if (data == nullptr) return false;
  // An empty view may have a null data(); PCRE2 wants a real pointer.
  const char* bytes = subject.empty() ? "" : subject.data();
  const int rc = pcre2_match(compiled_->code, reinterpret_cast<PCRE2_SPTR>(bytes), subject.size(), 0, 0, data,
                             compiled_->context);
  pcre2_match_data_free(data);
  return rc >= 0;
}

}  // namespace waf::engine
