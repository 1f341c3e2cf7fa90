#include "postanalytics/log_record.hpp"

#include <doctest/doctest.h>

using namespace waf::postanalytics;

TEST_CASE("log record: batch and senders records round-trip") {
  std::string bytes;
  encode_record(BatchRecord{41, 3, 9, "pod-a:12:0", "{\"a\":1}\n{\"b\":2}"}, bytes);
  encode_record(SendersRecord{100, {{"pod-a:12:0", 9}, {"pod-b:7:1", 2}}}, bytes);

  auto first = decode_record(bytes);
  REQUIRE(first.status == DecodeStatus::ok);
  const auto& batch = std::get<BatchRecord>(first.record);
  CHECK(batch.first_id == 41);
  CHECK(batch.event_count == 3);
  CHECK(batch.seq == 9);
  CHECK(batch.sender == "pod-a:12:0");
  CHECK(batch.body == "{\"a\":1}\n{\"b\":2}");

  auto second = decode_record(std::string_view(bytes).substr(first.consumed));
  REQUIRE(second.status == DecodeStatus::ok);
  CHECK(first.consumed + second.consumed == bytes.size());
  const auto& senders = std::get<SendersRecord>(second.record);
  CHECK(senders.next_id == 100);
  CHECK(senders.senders == std::vector<std::pair<std::string, std::uint64_t>>{{"pod-a:12:0", 9}, {"pod-b:7:1", 2}});
}

TEST_CASE("log record: every torn prefix is incomplete, never a record") {
  std::string bytes;
  encode_record(BatchRecord{1, 1, 1, "s", "{\"schema\":\"waf.event/v1\"}"}, bytes);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    CHECK_MESSAGE(decode_record(std::string_view(bytes).substr(0, n)).status == DecodeStatus::incomplete, n);
  }
}

TEST_CASE("log record: a flipped bit or an impossible length is corrupt") {
  std::string bytes;
  encode_record(BatchRecord{1, 1, 1, "s", "body"}, bytes);
  for (std::size_t i = 8; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x10);
    CHECK_MESSAGE(decode_record(flipped).status == DecodeStatus::corrupt, i);
  }
  const std::string zero_length(16, '\0');
  CHECK(decode_record(zero_length).status == DecodeStatus::corrupt);
  const std::string huge = std::string("\xff\xff\xff\x7f", 4) + std::string(12, '\0');
  CHECK(decode_record(huge).status == DecodeStatus::corrupt);
}
