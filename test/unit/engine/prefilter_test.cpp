// The prefilters let benign values skip detectors, so a prefilter that misses what its detector
// finds loses detections silently. These tests hold every prefilter to its detector, as it is
// now and as it learns: every value of every detector table (attacks and benign lines of all
// classes, read at every location kind) that a detector flags must pass that detector's
// prefilter, and every SQL keyword the sqli tokenizer knows must be one of its prefilter's words.
#include <doctest/doctest.h>

#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "engine/detect/prefilter.hpp"
#include "engine/detect/registry.hpp"
#include "engine/detect/sqli.hpp"
#include "engine/detect/sqli_prefilter.hpp"
#include "engine/engine.hpp"
#include "engine/parse/header_grammar.hpp"
#include "engine/policy/policy_file.hpp"
#include "kinds.hpp"
#include "table_file.hpp"

namespace {

using namespace waf::engine;

const std::string kDetectorTables = std::string(WAF_SOURCE_DIR) + "/test/unit/engine/detect/testdata";

// Every value of every detector table, with the {CR}/{LF}/{TAB}/{NUL} escapes and "@kind " prefixes
// of detector_table_test.cpp resolved (the kind is ignored: each value is tried at every kind).
std::vector<std::string> table_values() {
  static const std::pair<std::string_view, char> kEscapes[] = {{"{CR}", '\r'}, {"{LF}", '\n'}, {"{TAB}", '\t'}, {"{NUL}", '\0'}};
  std::vector<std::string> values;
  for (const auto& file : std::filesystem::directory_iterator(kDetectorTables)) {
    const std::string text = test::read_file(file.path().string());
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(start, end - start);
      start = end + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      if (line[0] == '@' && line.find(' ') != std::string::npos) line = line.substr(line.find(' ') + 1);
      for (const auto& [token, byte] : kEscapes) {
        for (auto at = line.find(token); at != std::string::npos; at = line.find(token, at + 1)) line.replace(at, token.size(), 1, byte);
      }
      values.push_back(std::move(line));
    }
  }
  REQUIRE(values.size() > 100);
  return values;
}

bool admitted(const Prefilter& p, LocationKind kind, std::string_view value) {
  const ByteSet bytes(value);
  return admits(p, PrefilterInput{kind, value, value, bytes});
}

}  // namespace

TEST_CASE("prefilters: every value a detector flags passes its prefilter, at every location kind") {
  const auto values = table_values();
  std::size_t flagged = 0;
  for (const auto& entry : detector_registry()) {
    if (entry.prefilter == nullptr) continue;
    const auto detector = entry.make();
    for (const auto& v : values) {
      for (const auto& named : test::kKindNames) {
        const std::string_view kind_name = named.first;  // not a structured binding: doctest captures it
        const LocationKind kind = named.second;
        const std::string location = kind == LocationKind::header ? "header.user-agent" : std::string(kind_name) + ".q";
        Findings found;
        detector->scan(Value{v, v, location, kind}, found);
        if (found.empty()) continue;
        ++flagged;
        CHECK_MESSAGE(admitted(*entry.prefilter, kind, v),
                      entry.key << " flags a value its prefilter skips (" << kind_name << "): " << v);
      }
    }
  }
  CHECK(flagged > 500);
}

TEST_CASE("prefilters: the index answers for all prefilters what each answers alone") {
  std::vector<const Prefilter*> prefilters;
  for (const auto& entry : detector_registry()) prefilters.push_back(entry.prefilter);
  const PrefilterIndex index(prefilters);
  auto values = table_values();
  for (const char* v : {"waterproof hiking boots", "Lowa,Meindl,Salomon", "PG_SLEEP", "xUNIONy", "1union", "X$OR",
                        "CMD.EXE /c dir", "Ro0ABXNy", "/usr/bin/id", "(python3.10 -c x)", "this.a==1"}) {
    values.emplace_back(v);
  }
  std::size_t compared = 0;
  for (const auto& raw : values) {
    // Each value also as the decoded view of a percent-encoded raw one, which adds its bytes.
    const std::string encoded = "%25" + raw;
    for (const bool decoded : {false, true}) {
      const std::string_view raw_view = decoded ? std::string_view(encoded) : std::string_view(raw);
      ByteSet bytes(raw_view);
      bytes.add(ByteSet(raw));
      for (const auto& named : test::kKindNames) {
        const PrefilterInput input{named.second, raw_view, raw, bytes};
        const PrefilterIndex::Mask mask = index.admitted(input);
        for (std::size_t i = 0; i < prefilters.size(); ++i) {
          const bool alone = prefilters[i] == nullptr || admits(*prefilters[i], input);
          CHECK_MESSAGE(((mask >> i) & 1U) == (alone ? 1U : 0U), detector_registry()[i].key << " at " << named.first << ": " << raw);
          ++compared;
        }
      }
    }
  }
  CHECK(compared > 10000);
  CHECK(PrefilterIndex{}.admitted(PrefilterInput{LocationKind::query_value, "a", "a", ByteSet("a")}) == ~PrefilterIndex::Mask{0});
}

TEST_CASE("prefilters: the sqli prefilter knows every keyword of the sqli tokenizer") {
  // The vocabulary of all detector tables: whatever the tokenizer reads as more than a name there
  // must be one of the prefilter's words (functions need '(' and procedures "xp_"/"sp_", both in it).
  std::set<std::string> words;
  for (const auto& v : table_values()) {
    for (std::size_t i = 0; i < v.size();) {
      if (!std::isalpha(static_cast<unsigned char>(v[i]))) {
        ++i;
        continue;
      }
      const std::size_t from = i;
      while (i < v.size() && (std::isalnum(static_cast<unsigned char>(v[i])) || v[i] == '_')) ++i;
      words.insert(v.substr(from, i - from));
    }
  }
  for (const char* w : {"union", "select", "or", "and", "xor", "order", "group", "having", "limit", "waitfor",
                        "null", "true", "false", "like", "between", "into", "from", "where", "information_schema"}) {
    words.insert(w);
  }
  REQUIRE(words.size() > 200);
  for (const auto& w : words) {
    const std::string fp = sqli::fingerprint(w, sqli::Context::none);
    if (fp.empty() || fp == "n") continue;
    CHECK_MESSAGE(admitted(sqli_prefilter(), LocationKind::query_value, w), "sqli keyword missing from its prefilter: " << w << " (" << fp << ")");
  }
}

TEST_CASE("prefilters: plain prose and lists skip the detectors that cannot apply to them") {
  const Prefilter& sqli = sqli_prefilter();
  CHECK_FALSE(admitted(sqli, LocationKind::query_value, "waterproof hiking boots for women"));
  CHECK_FALSE(admitted(sqli, LocationKind::query_value, "Lowa,Meindl,Salomon"));
  CHECK(admitted(sqli, LocationKind::query_value, "1 or 1"));
  CHECK(admitted(sqli, LocationKind::query_value, "1union select"));
  CHECK(admitted(sqli, LocationKind::query_value, "1or1"));
  CHECK(admitted(sqli, LocationKind::query_value, "x pg_sleep(5)"));
  CHECK(admitted(sqli, LocationKind::query_value, "exec master..xp_cmdshell"));
  CHECK(admitted(sqli, LocationKind::query_value, "O'Brien"));
  CHECK(admitted(sqli, LocationKind::query_value, "caf\xC3\xA9"));
  for (const auto& entry : detector_registry()) {
    if (entry.key != "scanner") continue;
    REQUIRE(entry.prefilter != nullptr);
    CHECK_FALSE(admitted(*entry.prefilter, LocationKind::query_value, "sqlmap/1.7"));
    CHECK(admitted(*entry.prefilter, LocationKind::header, "sqlmap/1.7"));
  }
}

TEST_CASE("prefilters: inspect() gives the same verdicts with and without them") {
  CompiledPolicy with = default_policy();
  CompiledPolicy without = default_policy();
  without.prefilters = PrefilterIndex{};
  const std::string values[] = {"1' or '1'='1", "<svg onload=alert(1)>", "../../etc/passwd", "${jndi:ldap://x/a}",
                                "; cat /etc/passwd", "http://169.254.169.254/latest", "{{7*7}}", "*)(uid=*",
                                "a%0d%0aSet-Cookie:x=1", "gift for my sister, thanks!", "Lowa,Meindl,Salomon",
                                "{\"$ne\":1}", "1 union select password from users", "constructor prototype"};
  for (const auto& v : values) {
    const std::string target = "/search?q=" + v;
    const std::string cookie = "c=" + v;  // Request only views its bytes
    Request r{"GET", target, {{"User-Agent", "Mozilla/5.0"}, {"Accept", "text/html"}, {"Cookie", cookie}}, {}, false, "10.0.0.1"};
    const Verdict a = inspect(r, with);
    const Verdict b = inspect(r, without);
    CHECK_MESSAGE(a.classes == b.classes, v);
    REQUIRE(a.findings.size() == b.findings.size());
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
      CHECK_MESSAGE(a.findings[i].location == b.findings[i].location, v << ": " << a.findings[i].location);
      CHECK(a.findings[i].evidence == b.findings[i].evidence);
      CHECK(a.findings[i].score == b.findings[i].score);
    }
  }
}

TEST_CASE("header grammar: browser values are benign, anything else goes to the detectors") {
  CHECK(benign_header("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8,"
                                "application/signed-exchange;v=b3;q=0.7"));
  CHECK(benign_header("accept-encoding", "gzip, deflate, br, zstd"));
  CHECK(benign_header("accept-language", "en-GB,en;q=0.9,fr;q=0.8,de;q=0.7"));
  CHECK(benign_header("content-type", "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"));
  CHECK(benign_header("content-type", "application/json; charset=utf-8"));
  CHECK(benign_header("content-length", "4411"));
  CHECK(benign_header("sec-ch-ua", "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\""));
  CHECK(benign_header("sec-ch-ua-platform", "\"Windows\""));
  CHECK(benign_header("sec-fetch-user", "?1"));
  CHECK(benign_header("cache-control", "max-age=0"));
  CHECK(benign_header("priority", "u=0, i"));
  CHECK_FALSE(benign_header("user-agent", "Mozilla/5.0"));
  CHECK_FALSE(benign_header("host", "169.254.169.254"));
  CHECK_FALSE(benign_header("accept", "text/html;select=1"));
  CHECK_FALSE(benign_header("accept", "../../etc/passwd"));
  CHECK_FALSE(benign_header("accept", "() { :; }; /bin/cat /etc/passwd"));
  CHECK_FALSE(benign_header("accept", "${jndi:ldap://x/a}"));
  CHECK_FALSE(benign_header("accept-language", "en' or 1=1--"));
  CHECK_FALSE(benign_header("accept-encoding", "gzip--"));
  CHECK_FALSE(benign_header("content-type", "%{(#_='multipart/form-data')}"));
  CHECK_FALSE(benign_header("content-length", "12 34"));
  CHECK_FALSE(benign_header("sec-fetch-user", "?1;x"));
  CHECK_FALSE(benign_header("sec-ch-ua", "\"<script>\";v=\"1\""));
}
