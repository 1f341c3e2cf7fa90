// The decode chain's shortcuts (the per-kind gate on trigger bytes, the alphabet steps tried
// alone, buffers reused across values) must give what walking every step gives: these cases sit
// on each side of each shortcut.
#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "engine/decode/base64.hpp"
#include "engine/decode/decode_chain.hpp"

using namespace waf::engine;

namespace {

struct Case {
  LocationKind kind;
  std::string_view raw;
  bool changes;
  std::string_view decoded;  // when it changes
};

constexpr Case kCases[] = {
    {LocationKind::query_value, "plain_value-1.5", false, ""},
    {LocationKind::json_value, "a b c", false, ""},
    // No trigger byte, but all base64: only the alphabet step can act, and it does.
    {LocationKind::query_value, "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", true, "<script>alert(1)</script>"},
    // Base64 alphabet, too short to be read as base64.
    {LocationKind::cookie, "Zm9v", false, ""},
    // Base64 is not applied to names: no step for the kind.
    {LocationKind::query_name, "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", false, ""},
    // '+' is a space only where HTML form encoding applies.
    {LocationKind::query_value, "a+b", true, "a b"},
    {LocationKind::json_value, "a+b", false, ""},
    // A trigger, then a second round: %25 -> %, %3C -> <.
    {LocationKind::query_value, "%253Cscript%253E", true, "<script>"},
    // '%' without %u: percent_u copies nothing and changes nothing; percent does the work.
    {LocationKind::form_value, "50%25 off%2C today", true, "50% off, today"},
    {LocationKind::form_value, "%u003cb%u003E and %3C", true, "<b> and <"},
    // A trigger byte that decodes nothing.
    {LocationKind::json_value, "100% & more", false, ""},
    // Path normalisation is for paths only.
    {LocationKind::path, "/a/./b/../c", true, "/a/c"},
    {LocationKind::query_value, "/a/./b/../c", false, ""},
};

}  // namespace

TEST_CASE("decode chain: gated and reused-buffer decoding match the plain walk, and hand back the bytes") {
  const DecodeChain chain;
  std::string out;
  std::string scratch;
  for (const Case& c : kCases) {
    INFO(c.raw);
    std::string fresh;
    const bool fresh_changed = chain.decode(c.kind, c.raw, fresh);
    // The same buffers for every case, as the engine reuses them across a request's values.
    ByteSet out_bytes;
    const bool changed = chain.decode(c.kind, c.raw, ByteSet(c.raw), out, out_bytes, scratch);
    CHECK(changed == c.changes);
    CHECK(fresh_changed == c.changes);
    if (c.changes) {
      CHECK(out == c.decoded);
      CHECK(fresh == c.decoded);
      // The bytes of the decoded view, which the caller goes on with.
      const ByteSet expected(out);
      CHECK((out_bytes.subset_of(expected) && expected.subset_of(out_bytes)));
    }
  }
}

TEST_CASE("decode chain: unchanged_below answers for every value made of the given bytes") {
  const DecodeChain chain;
  const ByteSet plain("abcXYZ019_-.");
  constexpr auto kAny = std::numeric_limits<std::size_t>::max();
  // Names and keys: no decoder reads letters, digits, '_', '-' or '.' there, at any length.
  CHECK(chain.unchanged_below(LocationKind::query_name, plain) == kAny);
  CHECK(chain.unchanged_below(LocationKind::json_key, plain) == kAny);
  // Where base64 may read them: only values too short for it.
  CHECK(chain.unchanged_below(LocationKind::query_value, plain) == Base64Decoder::kMinChars);
  CHECK(chain.unchanged_below(LocationKind::cookie, plain) == Base64Decoder::kMinChars);
  // A trigger byte, or path normalisation's '.': no guarantee.
  CHECK(chain.unchanged_below(LocationKind::query_name, ByteSet("a%")) == 0);
  CHECK(chain.unchanged_below(LocationKind::query_name, ByteSet("a+")) == 0);
  CHECK(chain.unchanged_below(LocationKind::path, plain) == 0);
  // What it promises, decode() keeps: the longest short value that base64 would decode
  // ("c2VsZWN0" is "select") is changed from its minimum length on, never below it.
  std::string out;
  for (const std::string_view v : {"abc", "X_Y-Z", "c2VsZ", "c2VsZWN0"}) {
    INFO(v);
    const bool below = v.size() < chain.unchanged_below(LocationKind::query_value, ByteSet(v));
    if (below) CHECK_FALSE(chain.decode(LocationKind::query_value, v, out));
  }
  CHECK(chain.decode(LocationKind::query_value, "c2VsZWN0", out));
  CHECK(out == "select");
}
