#include "postanalytics/log_record.hpp"

#include <cstring>

#include "postanalytics/crc32.hpp"

namespace waf::postanalytics {
namespace {

enum : std::uint8_t { kBatch = 1, kSenders = 2 };

template <typename T>
void put(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

void put_string(std::string& out, std::string_view s) {
  put(out, static_cast<std::uint16_t>(s.size()));
  out.append(s);
}

// Reads from a payload, remembering whether it ran past the end.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  template <typename T>
  T get() {
    T value = 0;
    if (data_.size() < sizeof(T)) {
      bad_ = true;
      return value;
    }
    for (std::size_t i = 0; i < sizeof(T); ++i) value = static_cast<T>(value | (T{static_cast<unsigned char>(data_[i])} << (8 * i)));
    data_.remove_prefix(sizeof(T));
    return value;
  }
  std::string get_string() {
    const auto n = get<std::uint16_t>();
    if (data_.size() < n) {
      bad_ = true;
      return {};
    }
    std::string s(data_.substr(0, n));
    data_.remove_prefix(n);
    return s;
  }
  std::string_view rest() {
    const auto r = data_;
    data_ = {};
    return r;
  }
  bool bad() const { return bad_; }
  bool done() const { return data_.empty(); }

 private:
  std::string_view data_;
  bool bad_ = false;
};

}  // namespace

void encode_record(const LogRecord& record, std::string& out) {
  const std::size_t start = out.size();
  out.append(8, '\0');  // length and CRC, filled in below
  if (const auto* batch = std::get_if<BatchRecord>(&record)) {
    out.push_back(static_cast<char>(kBatch));
    put(out, batch->first_id);
    put(out, batch->event_count);
    put(out, batch->seq);
    put_string(out, batch->sender);
    out.append(batch->body);
  } else {
    const auto& senders = std::get<SendersRecord>(record);
    out.push_back(static_cast<char>(kSenders));
    put(out, senders.next_id);
    put(out, static_cast<std::uint32_t>(senders.senders.size()));
    for (const auto& [sender, seq] : senders.senders) {
      put_string(out, sender);
      put(out, seq);
    }
  }
  const std::string_view payload(out.data() + start + 8, out.size() - start - 8);
  std::string header;
  put(header, static_cast<std::uint32_t>(payload.size()));
  put(header, crc32(payload));
  std::memcpy(out.data() + start, header.data(), 8);
}

Decoded decode_record(std::string_view data) {
  Decoded decoded;
  if (data.size() < 8) return decoded;
  Reader head(data.substr(0, 8));
  const auto length = head.get<std::uint32_t>();
  const auto crc = head.get<std::uint32_t>();
  if (length == 0 || length > kMaxRecordBytes) {
    decoded.status = DecodeStatus::corrupt;
    return decoded;
  }
  if (data.size() - 8 < length) return decoded;
  const auto payload = data.substr(8, length);
  decoded.status = DecodeStatus::corrupt;
  if (crc32(payload) != crc) return decoded;
  Reader in(payload);
  const auto type = in.get<std::uint8_t>();
  if (type == kBatch) {
    BatchRecord batch;
    batch.first_id = in.get<std::uint64_t>();
    batch.event_count = in.get<std::uint32_t>();
    batch.seq = in.get<std::uint64_t>();
    batch.sender = in.get_string();
    batch.body = std::string(in.rest());
    decoded.record = std::move(batch);
  } else if (type == kSenders) {
    SendersRecord senders;
    senders.next_id = in.get<std::uint64_t>();
    const auto count = in.get<std::uint32_t>();
    for (std::uint32_t i = 0; i < count && !in.bad(); ++i) {
      auto sender = in.get_string();
      const auto seq = in.get<std::uint64_t>();
      senders.senders.emplace_back(std::move(sender), seq);
    }
    if (!in.done()) return decoded;
    decoded.record = std::move(senders);
  } else {
    return decoded;
  }
  if (in.bad()) return decoded;
  decoded.status = DecodeStatus::ok;
  decoded.consumed = 8 + length;
  return decoded;
}

}  // namespace waf::postanalytics
