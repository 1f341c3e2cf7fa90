#include "controller/json_value.hpp"

#include <fmt/format.h>

#include "common/json_writer.hpp"

namespace waf::controller {

JsonValue& JsonValue::set(std::string key, JsonValue value) {
  if (!std::holds_alternative<Object>(v_)) v_ = Object{};
  std::get<Object>(v_).emplace_back(std::move(key), std::move(value));
  return *this;
}

JsonValue& JsonValue::push(JsonValue value) {
  if (!std::holds_alternative<Array>(v_)) v_ = Array{};
  std::get<Array>(v_).push_back(std::move(value));
  return *this;
}

std::string JsonValue::dump() const {
  std::string out;
  dump_to(out);
  return out;
}

void JsonValue::dump_to(std::string& out) const {
  switch (v_.index()) {
    case 0: out += "null"; break;
    case 1: out += std::get<bool>(v_) ? "true" : "false"; break;
    case 2: out += fmt::format("{}", std::get<std::int64_t>(v_)); break;
    case 3: json::append_string(out, std::get<std::string>(v_)); break;
    case 4: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : std::get<Array>(v_)) {
        if (!first) out.push_back(',');
        first = false;
        item.dump_to(out);
      }
      out.push_back(']');
      break;
    }
    default: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, value] : std::get<Object>(v_)) {
        if (!first) out.push_back(',');
        first = false;
        json::append_string(out, key);
        out.push_back(':');
        value.dump_to(out);
      }
      out.push_back('}');
      break;
    }
  }
}

void JsonValue::dump_pretty_to(std::string& out, int depth) const {
  const auto* array = as_array();
  const auto* object = as_object();
  if ((array == nullptr || array->empty()) && (object == nullptr || object->empty())) {
    dump_to(out);
    return;
  }
  const std::string inner(static_cast<std::size_t>(depth + 1) * 2, ' ');
  out.push_back(array != nullptr ? '[' : '{');
  const std::size_t size = array != nullptr ? array->size() : object->size();
  for (std::size_t i = 0; i < size; ++i) {
    out += i == 0 ? "\n" : ",\n";
    out += inner;
    if (array != nullptr) {
      (*array)[i].dump_pretty_to(out, depth + 1);
    } else {
      json::append_string(out, (*object)[i].first);
      out += ": ";
      (*object)[i].second.dump_pretty_to(out, depth + 1);
    }
  }
  out.push_back('\n');
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
  out.push_back(array != nullptr ? ']' : '}');
}

}  // namespace waf::controller
