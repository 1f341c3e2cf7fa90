#include "engine/block_page.hpp"

#include <fmt/format.h>

#include "common/json_writer.hpp"

namespace waf::engine {
namespace {

// The request id comes from a header the client may set: escape it for HTML.
std::string html_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace

BlockResponse render_block_page(BlockPage page, int status, std::string_view request_id) {
  if (page == BlockPage::html) {
    const std::string id = html_escape(request_id);
    return {"text/html; charset=utf-8",
            fmt::format("<!doctype html>\n<html><head><title>Request blocked</title></head><body>\n"
                        "<h1>Request blocked</h1>\n<p>This request was blocked by the web application firewall "
                        "(status {}).</p>\n<p>Request id: <code>{}</code></p>\n</body></html>\n",
                        status, id)};
  }
  std::string body;
  json::ObjectWriter o(body);
  o.field("error", "request blocked").field("status", status).field("request_id", request_id);
  o.close();
  body.push_back('\n');
  return {"application/json", std::move(body)};
}

}  // namespace waf::engine
