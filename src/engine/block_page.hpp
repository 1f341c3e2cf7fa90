#pragma once
// The body the proxy answers a blocked or denied request with (policy "block_page"): short,
// carrying the request id so that a user can quote it to the operator, and nothing about which
// rule matched (that would teach an attacker how to get around it).
#include <string>
#include <string_view>

#include "engine/policy/compiled_policy.hpp"

namespace waf::engine {

struct BlockResponse {
  std::string_view content_type;
  std::string body;
};

BlockResponse render_block_page(BlockPage page, int status, std::string_view request_id);

}  // namespace waf::engine
