#pragma once
// RFC 5424 syslog messages for attack events, and the octet-counting framing of RFC 6587 for TCP.
// Pure: the host name, process id and fallback time are parameters.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace waf::postanalytics {

struct SyslogTarget {
  enum class Transport { udp, tcp };
  Transport transport = Transport::udp;
  std::string host;
  std::uint16_t port = 0;
};

// "udp://HOST:PORT" or "tcp://HOST:PORT"; the error names --export-syslog.
Result<SyslogTarget> parse_syslog_url(std::string_view url);

struct SyslogIdentity {
  std::string hostname;  // the pod name in Kubernetes
  std::string procid;
};

// Facility local0: the events are the WAF's own application log, not the host's auth log.
inline constexpr int kSyslogFacility = 16;
inline constexpr int kSyslogWarning = 4;  // blocked and denied requests
inline constexpr int kSyslogNotice = 5;   // monitored attacks, and anything unreadable

// "<PRI>1 TIMESTAMP HOSTNAME waf PROCID attack - MSG": TIMESTAMP is the event's "time" (else
// fallback_time), MSG the event JSON itself, so a collector can parse it.
std::string format_syslog(std::string_view event_json, const SyslogIdentity& identity, std::string_view fallback_time);

// RFC 6587 section 3.4.1: "MSG-LEN SP SYSLOG-MSG".
std::string frame_octet_counting(std::string_view message);

}  // namespace waf::postanalytics
