#pragma once
// The proxy's admin port: /healthz, /readyz, /metrics, /status. Small and separate from the
// client port so probes and scrapes never queue behind client traffic. One request per connection.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <functional>
#include <string>
#include <vector>

#include "common/metrics.hpp"
#include "common/result.hpp"

namespace waf::proxy {

struct AdminHandlers {
  const metrics::Registry& registry;
  std::function<std::string()> status_json;
  std::function<bool()> draining;
  std::vector<asio::ip::tcp::endpoint> upstream;  // /readyz checks that it accepts connections
};

class AdminServer {
 public:
  AdminServer(asio::io_context& io, AdminHandlers handlers);
  Result<asio::ip::tcp::endpoint> listen(const asio::ip::tcp::endpoint& at);
  void stop();

 private:
  class Connection;
  void do_accept();

  asio::io_context& io_;
  asio::ip::tcp::acceptor acceptor_;
  AdminHandlers handlers_;
};

}  // namespace waf::proxy
