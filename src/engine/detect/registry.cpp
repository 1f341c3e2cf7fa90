#include "engine/detect/registry.hpp"

#include "engine/detect/code_injection.hpp"
#include "engine/detect/command_injection.hpp"
#include "engine/detect/command_injection_prefilter.hpp"
#include "engine/detect/crlf.hpp"
#include "engine/detect/jndi.hpp"
#include "engine/detect/ldapi.hpp"
#include "engine/detect/nosqli.hpp"
#include "engine/detect/path_traversal.hpp"
#include "engine/detect/rfi_ssrf.hpp"
#include "engine/detect/scanner.hpp"
#include "engine/detect/sqli.hpp"
#include "engine/detect/sqli_prefilter.hpp"
#include "engine/detect/ssti.hpp"
#include "engine/detect/xss.hpp"
#include "engine/detect/xxe.hpp"

namespace waf::engine {
namespace {

// Markup, script URLs, event handlers, calls, member access, template literals and CSS, and a
// UTF-7 '<' ("+ADw-"). '/', '-' and ';' of paths, dates and prose make no script without these.
constexpr std::string_view kXssNeedles[] = {"adw-"};
constexpr Prefilter kXss = any_of("<>\"'`()=:.[]{}$\\&", kXssNeedles);
// A climb ("..", also as ".;." for servlet containers) or a separator; a literal '%' may hide
// either under one more encoding.
constexpr std::string_view kPathTraversalNeedles[] = {"..", ".;"};
constexpr Prefilter kPathTraversal = any_of("/\\%", kPathTraversalNeedles);
// A scheme, a host or an address, or an include target cut by a trailing '?' ("file??").
constexpr Prefilter kRfiSsrf = any_of(":./\\@?");
// Delimiters, directives, attribute walks, calls and code (a '!' or a '?' of a template comes with a
// delimiter, so prose's do not count); "new Function" and "constructor"
// (prototype pollution) can come in words alone.
constexpr std::string_view kSstiNeedles[] = {"constructor", "function"};
constexpr Prefilter kSsti = any_of("{}%#()[]._$`<>*@=\\", kSstiNeedles);
// Mongo operators start with '$' (also as "[$ne]" or in JSON text); $where bodies use "this." or
// break out of a string literal with a quote; shell calls start with "db.".
constexpr std::string_view kNosqliNeedles[] = {"this.", "db."};
constexpr Prefilter kNosqli = any_of("$[]{}'\"", kNosqliNeedles);
// A filter needs parentheses; wildcards and escapes come with them.
constexpr Prefilter kLdapi = any_of("()*\\");
// The DOCTYPE and ENTITY declarations, markup and XInclude ("xi:include").
constexpr Prefilter kXxe = with_every_value(any_of("<>&%:"), kind_bit(LocationKind::xml_doctype));
// A lookup is "${...}".
constexpr Prefilter kJndi = any_of("${}");
// Line breaks (control bytes); without one, a forged header needs its ':'. Blanks and '/' are in
// most prose and paths, but a whole request or mail command line ("GET /a HTTP/1.1", "HELO x") is
// bait in a query argument or a cookie, which are scanned whatever their bytes, and so are header
// values (a second media type in a Content-Type) and argument names (RFC 2109's "$Version").
constexpr Prefilter kCrlf = with_every_value(any_of(":"), kind_bit(LocationKind::query_value) | kind_bit(LocationKind::cookie) |
                                                                kind_bit(LocationKind::query_name) | kind_bit(LocationKind::header));
// SSI comments and PHP tags ('<', "[php]", "{php}"), calls, variables, OGNL's '#' and '@', serialized
// strings, YAML tags ("!!python/", "!ruby/object"), stream wrappers ("expect://"), PHP session files ("sess_<id>"),
// serialization streams in base64 or hex (Java "rO0AB" at three alignments / "aced0005", .NET
// "AAEAAAD/////", pickle "gASV"); the words of Java names, gadget chains and class-loader walks (one
// hash per word), of .NET gadgets and of server script file names ("x.php5", "a.jsp"); every
// uploaded file name.
constexpr std::string_view kCodeInjectionNeedles[] = {"!!", "!ruby/", "://", "sess_", "ro0ab", "kztaau", "cs7qaf",
                                                      "aced0005", "aaeaaad/////", "gasv"};
constexpr std::string_view kCodeInjectionWords[] = {
    "classloader", "com", "declaredclass", "freemarker", "java", "javassist", "javax", "jdk", "jsp", "jspf", "jspx",
    "objectdataprovider", "ognl", "ognlcontext", "ognlutil", "org", "phar", "php", "phps", "phpt", "pht", "phtml",
    "presentationframework", "processbuilder", "propertyutilsbean", "runtime", "sun", "templatesimpl",
    "textformattingrunproperties", "windowsidentity", "xwork"};
constexpr auto kCodeInjectionWordTable = make_word_table<64>(kCodeInjectionWords);
static_assert(std::size(kCodeInjectionWords) < kCodeInjectionWordTable.size() / 2, "the word table needs free slots");
constexpr Prefilter kCodeInjection = with_words(
    with_every_value(any_of("<[{($#@\"", kCodeInjectionNeedles), kind_bit(LocationKind::multipart_filename)),
    kCodeInjectionWordTable);
// Scanners show in their headers.
constexpr Prefilter kScanner = only(kind_bit(LocationKind::header));

// One line per detector: {"<key>", make_<key>, prefilter}, declared in detect/<key>.hpp.
const DetectorEntry kDetectors[] = {
    {"sqli", make_sqli, &sqli_prefilter()},
    {"xss", make_xss, &kXss},
    {"path_traversal", make_path_traversal, &kPathTraversal},
    {"rfi_ssrf", make_rfi_ssrf, &kRfiSsrf},
    {"command_injection", make_command_injection, &command_injection_prefilter()},
    {"ssti", make_ssti, &kSsti},
    {"nosqli", make_nosqli, &kNosqli},
    {"ldapi", make_ldapi, &kLdapi},
    {"xxe", make_xxe, &kXxe},
    {"jndi", make_jndi, &kJndi},
    {"crlf", make_crlf, &kCrlf},
    {"scanner", make_scanner, &kScanner},
    {"code_injection", make_code_injection, &kCodeInjection},
};

}  // namespace

std::span<const DetectorEntry> detector_registry() noexcept { return kDetectors; }

}  // namespace waf::engine
