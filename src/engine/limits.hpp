#pragma once
// Per-request work budgets. When one is hit the engine stops collecting values and the verdict
// says partial_inspection: a bounded answer beats a stalled worker (peers take 80 s on an 800 KB
// JSON body). Defaults are sized so that ordinary API traffic never reaches them.
#include <cstddef>

namespace waf::engine {

struct Limits {
  std::size_t max_depth = 32;            // JSON/XML nesting levels descended into
  std::size_t max_values = 2048;         // values (locations) collected per request
  std::size_t max_bytes = 1024 * 1024;   // total bytes of collected values per request
  std::size_t max_value_bytes = 64 * 1024;  // one value longer than this is inspected as a prefix
};

}  // namespace waf::engine
