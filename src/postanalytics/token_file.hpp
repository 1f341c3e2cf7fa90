#pragma once
// The API bearer token from --token-file (a mounted Kubernetes Secret). The file is checked on
// every API request (one stat(2)): when its inode, size or mtime changed it is read again, so a
// rotated Secret applies without a restart. A re-read that fails or finds an empty file keeps the
// last good token: a half-written file must not open the API.
#include <sys/types.h>

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace waf::postanalytics {

class TokenFile {
 public:
  static Result<TokenFile> load(std::string path);
  const std::string& current();
  // Constant-time comparison of an "Authorization" header value with "Bearer <token>".
  bool accepts(std::string_view authorization);

 private:
  struct Identity {
    ino_t inode = 0;
    off_t size = 0;
    long mtime_ns = 0;
    bool operator==(const Identity&) const = default;
  };
  std::string path_;
  std::string token_;
  Identity identity_;
};

// The token in a file's content: surrounding whitespace (a trailing newline) is not part of it.
std::string_view token_from_content(std::string_view content) noexcept;

}  // namespace waf::postanalytics
