#include "postanalytics/token_file.hpp"

#include <sys/stat.h>

#include <fmt/format.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "common/log.hpp"

namespace waf::postanalytics {
namespace {

bool identity_of(const std::string& path, ino_t& inode, off_t& size, long& mtime_ns) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  inode = st.st_ino;
  size = st.st_size;
  mtime_ns = st.st_mtim.tv_sec * 1'000'000'000L + st.st_mtim.tv_nsec;
  return true;
}

std::optional<std::string> read_token(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string content = ss.str();
  const auto token = token_from_content(content);
  if (token.empty()) return std::nullopt;
  return std::string(token);
}

}  // namespace

std::string_view token_from_content(std::string_view content) noexcept {
  const auto first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = content.find_last_not_of(" \t\r\n");
  return content.substr(first, last - first + 1);
}

Result<TokenFile> TokenFile::load(std::string path) {
  TokenFile file;
  file.path_ = std::move(path);
  if (!identity_of(file.path_, file.identity_.inode, file.identity_.size, file.identity_.mtime_ns)) {
    return make_error(fmt::format("--token-file {}: cannot read", file.path_));
  }
  auto token = read_token(file.path_);
  if (!token) return make_error(fmt::format("--token-file {}: empty or unreadable", file.path_));
  file.token_ = std::move(*token);
  return file;
}

const std::string& TokenFile::current() {
  Identity now;
  if (identity_of(path_, now.inode, now.size, now.mtime_ns) && !(now == identity_)) {
    if (auto token = read_token(path_)) {
      identity_ = now;
      if (*token != token_) log::info("token_reloaded", {{"token_file", path_}});
      token_ = std::move(*token);
    }
  }
  return token_;
}

bool TokenFile::accepts(std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() < kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    if ((c | 0x20) != (kScheme[i] | 0x20)) return false;  // the scheme is case-insensitive
  }
  const auto presented = authorization.substr(kScheme.size());
  const std::string& token = current();
  // Compare every byte whatever the first difference, so timing does not reveal a prefix.
  unsigned diff = presented.size() == token.size() ? 0U : 1U;
  for (std::size_t i = 0; i < presented.size(); ++i) {
    diff |= static_cast<unsigned>(static_cast<unsigned char>(presented[i]) ^
                                  static_cast<unsigned char>(token[i % token.size()]));
  }
  return diff == 0;
}

}  // namespace waf::postanalytics
