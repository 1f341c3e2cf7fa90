#include "engine/detect/scanner.hpp"

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

// Tool names as they appear in their default User-Agent strings (lower case).
constexpr std::string_view kTools[] = {
    "sqlmap", "nikto", "nmap", "nessus", "acunetix", "netsparker", "invicti", "nuclei", "wpscan",
    "dirbuster", "gobuster", "dirb", "masscan", "zgrab", "zmap", "w3af", "arachni", "skipfish",
    "openvas", "havij", "jaeles", "ffuf", "feroxbuster", "wfuzz", "whatweb", "appscan", "webinspect",
    "paros", "commix", "xsstrike", "joomscan", "droopescan", "fimap", "sqlninja", "bbqsql", "hydra",
    "medusa", "morfeus", "nessus", "qualys", "burpcollaborator", "burp collaborator", "zap/", "owasp zap",
    "webshag", "vega/", "brutus", "metasploit", "netlab360", "censysinspect", "interactsh",
    "dotdotpwn", "wapiti", "blackwidow", "httprint", "webvulnscan", "sf/", "nasl", "pangolin", "struts-pwn",
    "log4j-scan", "go-http-client/1.1 (nuclei)", "cgichk", "wprecon", "cmsmap", "xspider", "teh forest lobster",
};
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
    const text::Bigrams grams(s);
    for (auto tool : kTools) {
      if (!grams.may_contain(tool)) continue;
      for (std::size_t at = text::ifind(s, tool); at != std::string_view::npos; at = text::ifind(s, tool, at + 1)) {
        // Whole token: "nmap" in "(nmap scripting engine)", not in "unmapped".
        const bool left = at == 0 || !text::is_alpha(s[at - 1]);
        const std::size_t end = at + tool.size();
        const bool right = end >= s.size() || !text::is_alpha(s[end]) || !text::is_alpha(tool.back());
        if (!left || !right) continue;
        text::report(out, AttackClass::scanner, value, s, at, 48, 90, "scanner user agent");
        return;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Detector> make_scanner() { return std::make_unique<ScannerDetector>(); }

}  // namespace waf::engine
