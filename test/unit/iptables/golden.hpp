#pragma once
// Golden files beside the tests: compare, or rewrite them when WAF_UPDATE_GOLDEN=1 (then review
// the diff in the same commit).
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace waf::testing {

inline void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(WAF_TESTDATA_DIR) + "/" + name;
  const char* update = std::getenv("WAF_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    MESSAGE("rewrote " << path);
    return;
  }
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing golden " << path << " (run with WAF_UPDATE_GOLDEN=1)");
  std::stringstream expected;
  expected << in.rdbuf();
  CHECK_MESSAGE(expected.str() == actual, "golden " << name << " differs; got:\n" << actual);
}

}  // namespace waf::testing
