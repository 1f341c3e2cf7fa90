#include <doctest/doctest.h>

#include <memory>

#include "engine/decode/decode_chain.hpp"
#include "engine/decode/registry.hpp"
#include "../kinds.hpp"
#include "../table_file.hpp"

using namespace waf::engine;
using namespace waf::engine::test;

namespace {

std::unique_ptr<Decoder> make_decoder(std::string_view key) {
  for (const auto& e : decoder_registry()) {
    if (e.key == key) return e.make();
  }
  return nullptr;
}

constexpr std::string_view kUnchanged = "(unchanged)";

}  // namespace

TEST_CASE("decoders: each registered decoder against testdata/decode/decoders.txt") {
  const auto rows = read_table(testdata("decode/decoders.txt"), "\t");
  REQUIRE(rows.size() > 40);
  for (const auto& row : rows) {
    REQUIRE(row.size() == 3);
    const auto decoder = make_decoder(row[0]);
    REQUIRE_MESSAGE(decoder != nullptr, "unknown decoder " << row[0]);
    const std::string input = unescape(row[1]);
    std::string out = "garbage from a previous call";
    const bool changed = decoder->decode(input, out);
    INFO(row[0] << ": " << row[1]);
    if (row[2] == kUnchanged) {
      CHECK_FALSE(changed);
    } else {
      CHECK(changed);
      CHECK(escape(out) == escape(unescape(row[2])));
      // The property the chain's termination and memory bound rest on.
      CHECK(out.size() <= input.size());
    }
  }
}

TEST_CASE("decoders: every registered decoder has testdata") {
  const std::string table = read_file(testdata("decode/decoders.txt"));
  for (const auto& e : decoder_registry()) {
    CHECK_MESSAGE(table.find("\n" + std::string(e.key) + "\t") != std::string::npos, e.key);
  }
}

TEST_CASE("decode chain: fixpoint per location kind against testdata/decode/chain.txt") {
  const DecodeChain chain;
  const auto rows = read_table(testdata("decode/chain.txt"), "\t");
  REQUIRE(rows.size() > 10);
  for (const auto& row : rows) {
    REQUIRE(row.size() == 3);
    const auto kind = kind_from_name(row[0]);
    REQUIRE_MESSAGE(kind.has_value(), "unknown kind " << row[0]);
    const std::string input = unescape(row[1]);
    std::string out;
    const bool changed = chain.decode(*kind, input, out);
    INFO(row[0] << ": " << row[1]);
    if (row[2] == kUnchanged) {
      CHECK_FALSE(changed);
    } else {
      CHECK(changed);
      CHECK(escape(out) == escape(unescape(row[2])));
    }
  }
}

TEST_CASE("decode chain: stops after kMaxDecodeRounds on deeply nested encoding") {
  // '<' percent-encoded ten times: the chain unwraps a bounded number of layers, then stops.
  std::string value = "<";
  for (int i = 0; i < 10; ++i) {
    std::string next;
    for (const char c : value) {
      if (c == '%' || c == '<') {
        next += c == '%' ? "%25" : "%3C";
      } else {
        next.push_back(c);
      }
    }
    value = next;
  }
  std::string out;
  CHECK(DecodeChain{}.decode(LocationKind::query_value, value, out));
  CHECK(out.size() < value.size());
  CHECK(out != "<");
}
