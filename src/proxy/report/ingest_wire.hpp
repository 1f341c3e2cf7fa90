#pragma once
// The bytes of the proxy -> postanalytics protocol (docs: the postanalytics contract): batches as
// NDJSON POSTs, the lists GET, and what the answers mean. Pure: the client in ingest_client sends
// them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace waf::proxy::report {

inline constexpr std::size_t kBatchMaxEvents = 500;
// The server takes 4 MiB; the margin leaves room for one more line's newline and never needs a 413.
inline constexpr std::size_t kBatchMaxBytes = 4 * 1024 * 1024 - 4096;

// One batch: NDJSON lines and how many of them are events (the rest are stats records). A batch
// keeps its seq across retries, so the server can drop a repeat of one it already stored.
struct Batch {
  std::uint64_t seq = 0;
  std::string body;
  std::size_t events = 0, stats = 0;
  bool empty() const noexcept { return events == 0 && stats == 0; }
  // Appends one line unless that would pass kBatchMaxBytes (a line alone larger than that is
  // refused too: the caller drops it). Returns whether it was added.
  bool add(std::string_view line, bool is_event);
};

// POST /ingest/v1/batch with X-Waf-Sender and X-Waf-Batch-Seq; keep-alive.
std::string batch_request(std::string_view host, std::string_view sender, const Batch& batch);
// GET /ingest/v1/lists, conditional on the ETag of the lists we hold (empty: none yet).
std::string lists_request(std::string_view host, std::string_view etag);

enum class BatchOutcome {
  accepted,  // 200: stored (or a duplicate of a stored one): done
  rejected,  // 400, 413 and other 4xx: sending it again cannot help; its events are dropped
  retry,     // 503, other 5xx, no answer: send the same batch again after a backoff
};
BatchOutcome batch_outcome(int status) noexcept;

// "lists_version" of a 200 answer to a batch, when present: a newer one than ours means a pull now.
std::optional<std::uint64_t> lists_version_of(std::string_view ack_json) noexcept;

}  // namespace waf::proxy::report
