#include "proxy/report/ingest_wire.hpp"

#include <fmt/format.h>

#include <charconv>

namespace waf::proxy::report {

bool Batch::add(std::string_view line, bool is_event) {
  if (body.size() + line.size() + 1 > kBatchMaxBytes) return false;
  body.append(line);
  body.push_back('\n');
  ++(is_event ? events : stats);
  return true;
}

std::string batch_request(std::string_view host, std::string_view sender, const Batch& batch) {
  std::string out = fmt::format(
      "POST /ingest/v1/batch HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-ndjson\r\nX-Waf-Sender: {}\r\n"
      "X-Waf-Batch-Seq: {}\r\nContent-Length: {}\r\n\r\n",
      host, sender, batch.seq, batch.body.size());
  out.append(batch.body);
  return out;
}

std::string lists_request(std::string_view host, std::string_view etag) {
  std::string out = fmt::format("GET /ingest/v1/lists HTTP/1.1\r\nHost: {}\r\n", host);
  if (!etag.empty()) out += fmt::format("If-None-Match: {}\r\n", etag);
  out += "\r\n";
  return out;
}

BatchOutcome batch_outcome(int status) noexcept {
  if (status >= 200 && status < 300) return BatchOutcome::accepted;
  // 408 and 429 say "later", like 503.
  if (status >= 400 && status < 500 && status != 408 && status != 429) return BatchOutcome::rejected;
  return BatchOutcome::retry;
}

std::optional<std::uint64_t> lists_version_of(std::string_view ack) noexcept {
  constexpr std::string_view kKey = "\"lists_version\":";
  const auto at = ack.find(kKey);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t i = at + kKey.size();
  while (i < ack.size() && ack[i] == ' ') ++i;
  std::uint64_t v = 0;
  const auto r = std::from_chars(ack.data() + i, ack.data() + ack.size(), v);
  if (r.ec != std::errc()) return std::nullopt;
  return v;
}

}  // namespace waf::proxy::report
