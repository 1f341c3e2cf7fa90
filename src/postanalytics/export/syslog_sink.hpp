#pragma once
// --export-syslog: RFC 5424 messages over UDP (one datagram each) or TCP (octet-counting framing,
// one kept connection, reconnected after a failure).
#include "postanalytics/export/blocking_socket.hpp"
#include "postanalytics/export/export_sink.hpp"
#include "postanalytics/export/syslog_format.hpp"

namespace waf::postanalytics {

class SyslogSink final : public ExportSink {
 public:
  SyslogSink(SyslogTarget target, SyslogIdentity identity);
  std::string_view name() const noexcept override { return "syslog"; }
  std::size_t max_batch() const noexcept override { return 100; }
  Status deliver(std::span<const std::string> lines) override;

 private:
  SyslogTarget target_;
  SyslogIdentity identity_;
  BlockingSocket socket_;
};

// The host name and pid of this process, for the syslog header.
SyslogIdentity local_syslog_identity();

}  // namespace waf::postanalytics
