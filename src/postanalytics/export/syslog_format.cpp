#include "postanalytics/export/syslog_format.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "common/net/endpoint.hpp"

namespace waf::postanalytics {
namespace {

// RFC 5424 header fields are PRINTUSASCII (33..126) with a maximum length; NILVALUE when empty.
std::string header_field(std::string_view text, std::size_t max_length) {
  std::string out;
  for (const char c : text.substr(0, max_length)) {
    if (c >= 33 && c <= 126) out.push_back(c);
  }
  return out.empty() ? "-" : out;
}

// TIMESTAMP is a restricted RFC 3339: what the events carry ("2026-11-22T15:45:56.123Z") is
// valid; anything else falls back rather than producing an invalid header.
bool plausible_timestamp(std::string_view t) {
  if (t.size() < 20 || t.size() > 32 || t[4] != '-' || t[7] != '-' || t[10] != 'T') return false;
  return t.find_first_not_of("0123456789-:.TZ+") == std::string_view::npos;
}

}  // namespace

Result<SyslogTarget> parse_syslog_url(std::string_view url) {
  SyslogTarget out;
  if (url.starts_with("udp://")) {
    out.transport = SyslogTarget::Transport::udp;
  } else if (url.starts_with("tcp://")) {
    out.transport = SyslogTarget::Transport::tcp;
  } else {
    return make_error(fmt::format("--export-syslog: '{}' must be udp://HOST:PORT or tcp://HOST:PORT", url));
  }
  auto host_port = net::parse_host_port(url.substr(6));
  if (!host_port) return make_error("--export-syslog: " + host_port.error().message);
  if (host_port->host.empty() || host_port->port == 0) {
    return make_error(fmt::format("--export-syslog: '{}' needs a host and a port", url));
  }
  out.host = host_port->host;
  out.port = host_port->port;
  return out;
}

std::string format_syslog(std::string_view event_json, const SyslogIdentity& identity, std::string_view fallback_time) {
  int severity = kSyslogNotice;
  std::string_view time = fallback_time;
  simdjson::dom::parser parser;
  simdjson::dom::object event;
  if (parser.parse(simdjson::padded_string(event_json)).get(event) == simdjson::SUCCESS) {
    std::string_view action, event_time;
    if (event["action"].get(action) == simdjson::SUCCESS && (action == "blocked" || action == "denied")) {
      severity = kSyslogWarning;
    }
    if (event["time"].get(event_time) == simdjson::SUCCESS && plausible_timestamp(event_time)) time = event_time;
  }
  return fmt::format("<{}>1 {} {} waf {} attack - {}", kSyslogFacility * 8 + severity, header_field(time, 32),
                     header_field(identity.hostname, 255), header_field(identity.procid, 128), event_json);
}

std::string frame_octet_counting(std::string_view message) { return fmt::format("{} {}", message.size(), message); }

}  // namespace waf::postanalytics
