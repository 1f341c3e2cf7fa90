#include "engine/header_memo.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>

#include "engine/engine.hpp"
#include "engine/policy/policy_file.hpp"

using namespace waf::engine;

namespace {

// "!EVIL" in a value is an sqli finding; every scan is counted by location, so that a test sees
// which values the detectors were spared.
std::map<std::string, int, std::less<>> scans;

class CountingDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::sqli; }
  void scan(const Value& value, Findings& out) const noexcept override {
    ++scans[std::string(value.location)];
    if (value.decoded.find("!EVIL") != std::string_view::npos) {
      out.push_back(Finding{AttackClass::sqli, std::string(value.location), "!EVIL", 90, ""});
    }
  }
};

std::unique_ptr<Detector> make_counting() { return std::make_unique<CountingDetector>(); }
const DetectorEntry kTestDetectors[] = {{"counting", make_counting}};

std::shared_ptr<const CompiledPolicy> policy_from(std::string_view json) {
  auto policy = load_policy(json, kTestDetectors);
  REQUIRE_MESSAGE(policy.ok(), (policy.ok() ? "" : policy.error().message));
  return std::make_shared<const CompiledPolicy>(std::move(*policy));
}

Request get(std::string_view target, std::string_view user_agent) {
  Request r;
  r.method = "GET";
  r.target = target;
  r.headers = {{"Host", "shop.example"}, {"User-Agent", user_agent}, {"Cookie", "s=!x"}};
  r.client_ip = "192.0.2.10";
  return r;
}

}  // namespace

TEST_CASE("header memo: a header value seen before is not scanned again, and finds what it found") {
  const auto policy = policy_from(R"({"mode": "block"})");
  HeaderMemo memo;
  memo.bind(policy);
  scans.clear();
  for (int i = 0; i < 3; ++i) {
    const Verdict v = inspect(get("/a?q=!x", "agent !EVIL"), *policy, {}, &memo);
    CHECK(v.action == Action::block);
    REQUIRE(v.findings.size() == 1);
    CHECK(v.findings[0].location == "header.user-agent");
  }
  CHECK(scans["header.user-agent"] == 1);
  CHECK(scans["header.host"] == 1);
  // Arguments and cookies are per request and per user: scanned every time.
  CHECK(scans["query.q"] == 3);
  CHECK(scans["cookie.s"] == 3);
  // Without the memo, every request scans its headers.
  inspect(get("/a", "agent !EVIL"), *policy);
  CHECK(scans["header.user-agent"] == 2);
}

TEST_CASE("header memo: a class one path disables is found on a path that enables it") {
  const auto policy = policy_from(R"({"mode": "block", "paths": [{"path": "/quiet/*", "disabled_classes": ["sqli"]}]})");
  HeaderMemo memo;
  memo.bind(policy);
  CHECK(inspect(get("/quiet/x", "agent !EVIL"), *policy, {}, &memo).action == Action::allow);
  const Verdict loud = inspect(get("/loud", "agent !EVIL"), *policy, {}, &memo);
  CHECK(loud.action == Action::block);
  CHECK(loud.findings.size() == 1);
}

TEST_CASE("header memo: bound to one policy; another policy forgets it and is not served from it") {
  const auto first = policy_from(R"({"mode": "block"})");
  const auto second = policy_from(R"({"mode": "block"})");
  HeaderMemo memo;
  memo.bind(first);
  scans.clear();
  inspect(get("/", "agent"), *first, {}, &memo);
  CHECK(memo.find("header.user-agent", "agent") != nullptr);
  // A memo bound to another policy is not used: the detectors run.
  inspect(get("/", "agent"), *second, {}, &memo);
  CHECK(scans["header.user-agent"] == 2);
  memo.bind(second);
  CHECK(memo.policy() == second.get());
  CHECK(memo.find("header.user-agent", "agent") == nullptr);
  memo.bind(second);  // the same policy again keeps what was learnt
  inspect(get("/", "agent"), *second, {}, &memo);
  memo.bind(second);
  CHECK(memo.find("header.user-agent", "agent") != nullptr);
}

TEST_CASE("header memo: bounded in slots and value size") {
  HeaderMemo memo;
  const Findings none;
  memo.remember("header.referer", std::string(HeaderMemo::kMaxValueBytes + 1, 'a'), none);
  CHECK(memo.find("header.referer", std::string(HeaderMemo::kMaxValueBytes + 1, 'a')) == nullptr);
  // The same value under another header is another entry.
  memo.remember("header.referer", "https://shop.example/", none);
  CHECK(memo.find("header.referer", "https://shop.example/") != nullptr);
  CHECK(memo.find("header.origin", "https://shop.example/") == nullptr);
  std::size_t kept = 0;
  for (int i = 0; i < 1000; ++i) memo.remember("header.x-id", std::to_string(i), none);
  for (int i = 0; i < 1000; ++i) if (memo.find("header.x-id", std::to_string(i)) != nullptr) ++kept;
  CHECK(kept > 0);
  CHECK(kept <= HeaderMemo::kSlots);
}
