#pragma once
// NoSQL (MongoDB) operator injection: query operators where the application expects a plain value:
// as an argument name ("user[$ne]=", "pass[$regex]="), as a JSON key ({"$gt": ""}), or as JSON
// text inside a string argument ('{"$where": "sleep(100)"}'). A '$' in prices and shell snippets,
// or a "$ref"-style key in ordinary JSON, is not an operator.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_nosqli();

}  // namespace waf::engine
