#include "engine/parse/json.hpp"

#include <simdjson.h>

#include <memory>
#include <string>

namespace waf::engine {
namespace {

// Locations are stored in the collector as they are built: a string gets its own as a view, and
// a container's is the prefix of its children's.
class JsonWalker {
 public:
  explicit JsonWalker(ValueCollector& out) : out_(out) {
    // Visiting skipped scalars costs too: bound the whole walk, not only the values kept.
    node_budget_ = out.limits().max_values * 8;
  }

  // Returns false to stop the walk (a budget is exhausted).
  bool walk(simdjson::dom::element element, std::string_view path, std::size_t depth) {
    if (node_budget_ == 0) {
      out_.mark_partial();
      return false;
    }
    --node_budget_;
    switch (element.type()) {
      case simdjson::dom::element_type::ARRAY: return walk_array(element.get_array().value_unsafe(), path, depth);
      case simdjson::dom::element_type::OBJECT: return walk_object(element.get_object().value_unsafe(), path, depth);
      case simdjson::dom::element_type::STRING:
        return out_.add(LocationKind::json_value, path, element.get_string().value_unsafe());
      default: return true;
    }
  }

 private:
  bool too_deep(std::size_t depth) {
    if (depth < out_.limits().max_depth) return false;
    out_.mark_partial();
    return true;
  }

  // Numbers, booleans and nulls are never collected: they need no location.
  static bool has_values(simdjson::dom::element element) {
    const auto type = element.type();
    return type == simdjson::dom::element_type::ARRAY || type == simdjson::dom::element_type::OBJECT ||
           type == simdjson::dom::element_type::STRING;
  }

  bool walk_array(simdjson::dom::array array, std::string_view path, std::size_t depth) {
    if (too_deep(depth)) return true;
    std::size_t index = 0;
    for (simdjson::dom::element child : array) {
      const std::string_view child_path = has_values(child) ? out_.location(path, index) : path;
      ++index;
      if (!walk(child, child_path, depth + 1)) return false;
    }
    return true;
  }

  bool walk_object(simdjson::dom::object object, std::string_view path, std::size_t depth) {
    if (too_deep(depth)) return true;
    for (const simdjson::dom::key_value_pair field : object) {
      const std::string_view field_path = out_.location(path, field.key);
      if (!out_.add(LocationKind::json_key, field_path, field.key)) return false;
      if (!walk(field.value, field_path, depth + 1)) return false;
    }
    return true;
  }

  ValueCollector& out_;
  std::size_t node_budget_;
};

}  // namespace

std::string close_truncated_json(std::string_view text) {
  std::string closers;  // the brackets open at the current position, innermost last
  std::size_t cut = 0;  // end of the last complete value
  std::string cut_closers;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '{': closers.push_back('}'); break;
      case '[': closers.push_back(']'); break;
      case '}':
      case ']':
        if (closers.empty() || closers.back() != c) return {};
        closers.pop_back();
        cut = i + 1;
        cut_closers = closers;
        break;
      case ',':
        // Everything before a comma is complete; the comma itself is dropped.
        cut = i;
        cut_closers = closers;
        break;
      default: break;
    }
  }
  if (cut == 0) return {};
  std::string out(text.substr(0, cut));
  out.append(cut_closers.rbegin(), cut_closers.rend());
  return out;
}

bool parse_json(std::string_view text, std::string_view prefix, ValueCollector& out, bool truncated) {
  // Keys and strings are collected as views into the parser's string buffer (simdjson unescapes
  // them there, not in the input), so the collector keeps the parser: a copy of every key and
  // string was a quarter of the cost of a JSON request.
  const auto parser = std::make_shared<simdjson::dom::parser>();
  simdjson::dom::element root;
  if (parser->parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) {
    if (!truncated) return false;
    const std::string repaired = close_truncated_json(text);
    if (repaired.empty() || parser->parse(repaired.data(), repaired.size()).get(root) != simdjson::SUCCESS) return false;
    // Parsing copied the text into the parser's own buffers, so `repaired` may go now.
    out.mark_partial();
  }
  out.keep(parser);
  JsonWalker(out).walk(root, prefix, 0);
  return true;
}

}  // namespace waf::engine
