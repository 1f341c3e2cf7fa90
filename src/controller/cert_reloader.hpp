#pragma once
// Watches the webhook's certificate, key and config files and reloads them when they change.
// Kubernetes updates a mounted Secret or ConfigMap by swapping a symlink (..data), so polling
// stat() through the symlink sees a new inode and mtime; polling also works on every file system.
#include <asio/ssl.hpp>

#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace waf::controller {

struct FileStamp {
  unsigned long long device = 0, inode = 0, size = 0;
  long long mtime_ns = 0;
  bool exists = false;
  bool operator==(const FileStamp&) const = default;
};

FileStamp stamp_file(const std::string& path);

// Remembers the stamps of a set of files; changed() is true once per change of any of them.
class FileWatch {
 public:
  explicit FileWatch(std::vector<std::string> paths);
  bool changed();

 private:
  std::vector<std::string> paths_;
  std::vector<FileStamp> stamps_;
};

// A server context for TLS 1.2 and 1.3 only, with the certificate chain and key from PEM files.
// Fails (naming the file) when either cannot be read or the key does not match the certificate,
// so a half-rotated pair is never served.
Result<std::shared_ptr<asio::ssl::context>> load_tls_context(const std::string& cert_file, const std::string& key_file);

}  // namespace waf::controller
