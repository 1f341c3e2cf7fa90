#include "engine/detect/scanner.hpp"

#include <array>
#include <cstdint>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

// Tool names as they appear in their default User-Agent strings (lower case).
constexpr std::string_view kTools[] = {
    "sqlmap", "nikto", "nmap", "nessus", "acunetix", "netsparker", "invicti", "nuclei", "wpscan",
    "dirbuster", "gobuster", "dirb", "masscan", "zgrab", "zmap", "w3af", "arachni", "skipfish",
    "openvas", "havij", "jaeles", "ffuf", "feroxbuster", "wfuzz", "whatweb", "appscan", "webinspect",
    "paros", "commix", "xsstrike", "joomscan", "droopescan", "fimap", "sqlninja", "bbqsql", "hydra",
    "medusa", "morfeus", "qualys", "burpcollaborator", "burp collaborator", "zap/", "owasp zap",
    "webshag", "vega/", "brutus", "metasploit", "netlab360", "censysinspect", "interactsh",
    "dotdotpwn", "wapiti", "blackwidow", "httprint", "webvulnscan", "sf/", "nasl", "pangolin", "struts-pwn",
    "log4j-scan", "go-http-client/1.1 (nuclei)", "cgichk", "wprecon", "cmsmap", "xspider", "teh forest lobster",
    "dirsearch", "fuzz faster u fool", "detectify", "zap", "burp suite", "nmap nse", "mozlila", "sqlsus",
    "absinthe", "webreaper", "jbrofuzz", "nsauditor", "nsparker", "zmeu", "jorgee",
    "wafw00f", "bsqlbf", "cisco-torch", "crimscanner", "datacha0s", "fhscan", "gootkit", "grendel-scan",
    "mysqloit", "n-stealth", "pmafind", "springenwerk", "sql power injector", "toata dragostea", "voideye",
    "webbandit", "x-scan", "this is an exploit", "awvs", "autogetcontent", "uil2pn",
};
// For each lower-case letter, the tools whose name starts with it (indices into kTools, 0 ends).
struct ToolIndex {
  std::array<std::array<std::uint8_t, 16>, 26> by_letter{};
};
constexpr ToolIndex make_tool_index() {
  ToolIndex index;
  std::array<std::size_t, 26> used{};
  for (std::size_t i = 0; i < std::size(kTools); ++i) {
    const auto letter = static_cast<std::size_t>(kTools[i][0] - 'a');
    index.by_letter[letter][used[letter]++] = static_cast<std::uint8_t>(i + 1);
  }
  return index;
}
constexpr ToolIndex kToolIndex = make_tool_index();

// Header names only scanners send.
constexpr std::string_view kScannerHeaders[] = {"header.acunetix-aspect", "header.acunetix-product",
                                                "header.acunetix-scanning-agreement", "header.x-scanner",
                                                "header.x-wipp", "header.x-request-memo", "header.x-scan-memo"};

class ScannerDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::scanner; }

  void scan(const Value& value, Findings& out) const noexcept override {
    if (value.kind != LocationKind::header) return;
    for (auto h : kScannerHeaders) {
      if (text::iequals(h, value.location)) {
        text::report(out, AttackClass::scanner, value, value.decoded, 0, 64, 90, "scanner-specific header");
        return;
      }
    }
    // Tool names also appear in Referer URLs of blog posts about them; only the client's own
    // product token counts.
    if (!text::iequals(value.location, "header.user-agent")) return;
    const std::string_view s = value.decoded;
    // Whole tokens: "nmap" in "(nmap scripting engine)", not in "unmapped". Tried where a run of
    // letters starts, so the cost is the list per word of the agent, not per byte.
    for (std::size_t at = 0; at < s.size(); ++at) {
      if (!text::is_alpha(s[at]) || (at > 0 && text::is_alpha(s[at - 1]))) continue;
      const auto letter = static_cast<std::size_t>(text::lower(s[at]) - 'a');
      for (const std::uint8_t i : kToolIndex.by_letter[letter]) {
        if (i == 0) break;
        const std::string_view tool = kTools[i - 1];
        // The second letter first (the first matched by the index): most candidates end there.
        if (at + 1 >= s.size() || text::lower(s[at + 1]) != tool[1]) continue;
        if (!text::istarts_with(s.substr(at), tool)) continue;
        const std::size_t end = at + tool.size();
        if (end < s.size() && text::is_alpha(s[end]) && text::is_alpha(tool.back())) continue;
        text::report(out, AttackClass::scanner, value, s, at, 48, 90, "scanner user agent");
        return;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Detector> make_scanner() { return std::make_unique<ScannerDetector>(); }

}  // namespace waf::engine
