// Table-driven detector tests: every registered detector has testdata/<key>.attacks.txt (each line
// must produce a finding of the detector's class) and testdata/<key>.benign.txt (each line must
// produce none). A line is one decoded value, optionally prefixed by "@<kind>[:<location>] " to say
// where it was found; {CR}, {LF}, {TAB} and {NUL} stand for those bytes. '#' starts a comment line.
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "../kinds.hpp"
#include "engine/decode/byte_set.hpp"
#include "engine/detect/registry.hpp"

namespace {

using waf::engine::LocationKind;

struct Case {
  int line;
  std::string value;
  std::string location;
  LocationKind kind;
};

// The location a detector's lines use unless they say otherwise.
struct DefaultKind {
  std::string_view key;
  std::string_view location;
  LocationKind kind;
};
constexpr DefaultKind kDefaults[] = {
    {"scanner", "header.user-agent", LocationKind::header},
    {"xxe", "body", LocationKind::body_text},
    {"nosqli", "query.user[$ne]", LocationKind::query_name},
};

std::string unescape(std::string s) {
  static const std::pair<std::string_view, char> kEscapes[] = {
      {"{CR}", '\r'}, {"{LF}", '\n'}, {"{TAB}", '\t'}, {"{NUL}", '\0'}};
  for (const auto& [token, byte] : kEscapes) {
    for (auto at = s.find(token); at != std::string::npos; at = s.find(token, at + 1))
      s.replace(at, token.size(), 1, byte);
  }
  return s;
}

std::vector<Case> load(std::string_view key, std::string_view suffix) {
  const std::string path = std::string(WAF_SOURCE_DIR) + "/test/unit/engine/detect/testdata/" +
                           std::string(key) + "." + std::string(suffix) + ".txt";
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing " << path);
  std::string location = "query.q";
  LocationKind kind = LocationKind::query_value;
  for (const auto& d : kDefaults) {
    if (d.key == key) {
      location = d.location;
      kind = d.kind;
    }
  }
  std::vector<Case> cases;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    Case c{n, line, location, kind};
    if (line[0] == '@') {
      const auto space = line.find(' ');
      REQUIRE_MESSAGE(space != std::string::npos, path << ":" << n << ": '@kind' without a value");
      std::string spec = line.substr(1, space - 1);
      c.value = line.substr(space + 1);
      const auto colon = spec.find(':');
      const std::string kind_name = spec.substr(0, colon);
      c.location = colon == std::string::npos ? kind_name + ".test" : spec.substr(colon + 1);
      const auto known = waf::engine::test::kind_from_name(kind_name);
      REQUIRE_MESSAGE(known.has_value(), path << ":" << n << ": unknown kind " << kind_name);
      c.kind = *known;
    }
    c.value = unescape(c.value);
    cases.push_back(std::move(c));
  }
  return cases;
}

// `bytes`: the value's byte set as the engine passes it (Value::bytes), null for none.
waf::engine::Findings run(const waf::engine::Detector& detector, const Case& c,
                          const waf::engine::ByteSet* bytes = nullptr) {
  waf::engine::Value value{c.value, c.value, c.location, c.kind, bytes};
  waf::engine::Findings findings;
  detector.scan(value, findings);
  return findings;
}

}  // namespace

TEST_CASE("detectors: every attack line is found, with bounded evidence and a valid score") {
  for (const auto& entry : waf::engine::detector_registry()) {
    const auto detector = entry.make();
    for (const auto& c : load(entry.key, "attacks")) {
      const auto findings = run(*detector, c);
      CHECK_MESSAGE(!findings.empty(), entry.key << ".attacks.txt:" << c.line << " not detected: " << c.value);
      for (const auto& f : findings) {
        CHECK(f.cls == detector->attack_class());
        CHECK(f.location == c.location);
        CHECK(f.evidence.size() <= waf::engine::kMaxEvidenceBytes);
        CHECK(!f.evidence.empty());
        CHECK(f.score >= 1);
        CHECK(f.score <= 100);
        CHECK(!f.detail.empty());
      }
    }
  }
}

TEST_CASE("detectors: no benign line is flagged") {
  for (const auto& entry : waf::engine::detector_registry()) {
    const auto detector = entry.make();
    for (const auto& c : load(entry.key, "benign")) {
      const auto findings = run(*detector, c);
      CHECK_MESSAGE(findings.empty(), entry.key << ".benign.txt:" << c.line << " flagged ("
                                                << (findings.empty() ? "" : findings[0].detail)
                                                << "): " << c.value);
    }
  }
}

// Value::bytes may hold more than the value (the engine's set also has the raw view's bytes): a
// detector only skips searches for bytes it lacks, so a wider set, even every byte, changes nothing.
TEST_CASE("detectors: a value's byte set, exact or wider, changes no finding") {
  waf::engine::ByteSet every;
  every.add_range(0, 255);
  const auto same = [](const waf::engine::Findings& a, const waf::engine::Findings& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (a[k].evidence != b[k].evidence || a[k].score != b[k].score || a[k].detail != b[k].detail) return false;
    }
    return true;
  };
  for (const auto& entry : waf::engine::detector_registry()) {
    const auto detector = entry.make();
    for (const std::string_view suffix : {"attacks", "benign"}) {
      for (const auto& c : load(entry.key, suffix)) {
        const auto expected = run(*detector, c);
        const waf::engine::ByteSet exact(c.value);
        CHECK_MESSAGE(same(run(*detector, c, &exact), expected), entry.key << "." << suffix << ".txt:" << c.line);
        CHECK_MESSAGE(same(run(*detector, c, &every), expected), entry.key << "." << suffix << ".txt:" << c.line);
      }
    }
  }
}

TEST_CASE("detectors: registry keys are unique and every entry builds its detector") {
  const auto registry = waf::engine::detector_registry();
  REQUIRE(!registry.empty());
  for (std::size_t i = 0; i < registry.size(); ++i) {
    REQUIRE((registry[i].make != nullptr));
    CHECK(registry[i].make() != nullptr);
    for (std::size_t j = i + 1; j < registry.size(); ++j) CHECK(registry[i].key != registry[j].key);
  }
}
