#include "inspect/verdict_line.hpp"

#include "common/json_writer.hpp"

namespace waf::inspect {

std::string render_verdict_line(std::string_view file, const engine::Verdict& verdict) {
  std::string classes = "[";
  for (const auto cls : verdict.classes) {
    if (classes.size() > 1) classes.push_back(',');
    json::append_string(classes, engine::name(cls));
  }
  classes.push_back(']');
  std::string findings = "[";
  for (const auto& f : verdict.findings) {
    if (findings.size() > 1) findings.push_back(',');
    json::ObjectWriter o(findings);
    o.field("class", engine::name(f.cls)).field("location", f.location).field("evidence", f.evidence);
    o.field("score", f.score).field("detail", f.detail);
    o.close();
  }
  findings.push_back(']');
  std::string out;
  json::ObjectWriter o(out);
  o.field("file", file).field("action", engine::name(verdict.action)).field("status", verdict.status);
  o.field("mode", engine::name(verdict.mode)).raw("classes", classes).raw("findings", findings);
  o.field("partial_inspection", verdict.partial_inspection);
  o.close();
  return out;
}

std::string render_error_line(std::string_view file, std::string_view error) {
  std::string out;
  json::ObjectWriter o(out);
  o.field("file", file).field("error", error);
  o.close();
  return out;
}

}  // namespace waf::inspect
