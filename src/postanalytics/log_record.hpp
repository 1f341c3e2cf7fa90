#pragma once
// Records of the append-only event log and their framing. Pure: bytes in, records out.
//
//   segment file = "WAFLOG01" then records
//   record       = u32 payload length | u32 CRC-32 of the payload | payload      (little endian)
//   payload      = u8 type, then
//     batch   (1): u64 first event id | u32 event count | u64 seq | u16 sender length | sender | NDJSON body
//     senders (2): u64 next event id | u32 count | count x (u16 length | sender | u64 seq)
//
// A batch record holds the accepted body as received; replay parses it again, so events get the
// same ids (first id + position) and the dedupe table its (sender, seq). Every segment starts with
// a senders record, which is why older segments can be deleted without forgetting a sender.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace waf::postanalytics {

inline constexpr std::string_view kSegmentMagic = "WAFLOG01";
// A batch is at most 4 MiB; anything claiming much more is garbage, not a record.
inline constexpr std::uint32_t kMaxRecordBytes = 16 * 1024 * 1024;

struct BatchRecord {
  std::uint64_t first_id = 0;
  std::uint32_t event_count = 0;
  std::uint64_t seq = 0;
  std::string sender;
  std::string body;
};

struct SendersRecord {
  std::uint64_t next_id = 0;
  std::vector<std::pair<std::string, std::uint64_t>> senders;
};

using LogRecord = std::variant<BatchRecord, SendersRecord>;

// Appends the framed record to `out`.
void encode_record(const LogRecord& record, std::string& out);

enum class DecodeStatus { ok, incomplete, corrupt };

struct Decoded {
  DecodeStatus status = DecodeStatus::incomplete;
  LogRecord record;
  std::size_t consumed = 0;  // bytes of the framed record when ok
};

// Decodes the record at the start of `data`. incomplete: the data ends inside the record (a torn
// write); corrupt: the length is impossible, the CRC does not match or the payload is malformed.
Decoded decode_record(std::string_view data);

}  // namespace waf::postanalytics
