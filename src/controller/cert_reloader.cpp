#include "controller/cert_reloader.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <sys/stat.h>

namespace waf::controller {

FileStamp stamp_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  FileStamp s;
  s.device = static_cast<unsigned long long>(st.st_dev);
  s.inode = static_cast<unsigned long long>(st.st_ino);
  s.size = static_cast<unsigned long long>(st.st_size);
  s.mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
  s.exists = true;
  return s;
}

FileWatch::FileWatch(std::vector<std::string> paths) : paths_(std::move(paths)) {
  for (const auto& p : paths_) stamps_.push_back(stamp_file(p));
}

bool FileWatch::changed() {
  bool any = false;
  for (std::size_t i = 0; i < paths_.size(); ++i) {
    auto now = stamp_file(paths_[i]);
    if (!(now == stamps_[i])) {
      stamps_[i] = now;
      any = true;
    }
  }
  return any;
}

Result<std::shared_ptr<asio::ssl::context>> load_tls_context(const std::string& cert_file, const std::string& key_file) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  std::error_code ec;
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                           asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                           asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use,
                       ec);
  if (ec) return make_error(fmt::format("TLS setup: {}", ec.message()));
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) return make_error(fmt::format("--tls-cert {}: {}", cert_file, ec.message()));
  context->use_private_key_file(key_file, asio::ssl::context::pem, ec);
  if (ec) return make_error(fmt::format("--tls-key {}: {}", key_file, ec.message()));
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return make_error(fmt::format("--tls-key {}: does not match the certificate in {}", key_file, cert_file));
  }
  return context;
}

}  // namespace waf::controller
