#pragma once
// One detector per file (detect/<registry key>.cpp), all behind this interface, all listed once in
// detect/registry.cpp. A detector is pure: no I/O, no clock, no globals, never throws.
#include <memory>
#include <string_view>

#include "engine/detect/prefilter.hpp"
#include "engine/finding.hpp"
#include "engine/value.hpp"

namespace waf::engine {

class Detector {
 public:
  virtual ~Detector() = default;
  virtual AttackClass attack_class() const noexcept = 0;
  // Appends at most a few findings for this value; most values produce none.
  virtual void scan(const Value& value, Findings& out) const noexcept = 0;
};

struct DetectorEntry {
  std::string_view key;  // registry key = file name = policy name ("sqli", "path_traversal")
  std::unique_ptr<Detector> (*make)();
  const Prefilter* prefilter = nullptr;  // which values can matter to it (prefilter.hpp); null: all
};

}  // namespace waf::engine
