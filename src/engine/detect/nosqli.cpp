#include "engine/detect/nosqli.hpp"

#include <algorithm>
#include <array>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

struct Operator {
  std::string_view name;  // without '$', lower case
  int score;
};
// $where/$function/$accumulator run JavaScript on the server; the rest change the query's logic.
constexpr Operator kOperators[] = {
    {"ne", 85},       {"gt", 85},        {"gte", 85},      {"lt", 85},     {"lte", 85},    {"eq", 75},
    {"in", 75},       {"nin", 85},       {"regex", 85},    {"where", 95},  {"exists", 85}, {"or", 80},
    {"and", 75},      {"nor", 85},       {"not", 80},      {"expr", 85},   {"elemmatch", 80},
    {"function", 95}, {"accumulator", 95}, {"lookup", 75}, {"options", 70}, {"size", 70},  {"type", 70},
    {"all", 70},      {"mod", 70},       {"text", 70},     {"jsonschema", 80}, {"comment", 60},
};

const Operator* operator_at(std::string_view s, std::size_t dollar) noexcept {
  std::array<char, 16> buf{};
  std::size_t n = 0;
  std::size_t i = dollar + 1;
  while (i < s.size() && text::is_alpha(s[i]) && n < buf.size()) buf[n++] = text::lower(s[i++]);
  if (n == 0 || n == buf.size() || (i < s.size() && text::is_word(s[i]))) return nullptr;
  const std::string_view w(buf.data(), n);
  for (const auto& op : kOperators) {
    if (op.name == w) return &op;
  }
  return nullptr;
}

// The mongo shell's entry points: "db.users.find(", "db.getCollection('users')".
constexpr std::string_view kShellMethods[] = {
    "find", "findone", "insert", "insertone", "insertmany", "update", "updateone", "updatemany", "remove",
    "deleteone", "deletemany", "drop", "aggregate", "count", "mapreduce", "getcollection", "getsiblingdb",
    "dropdatabase", "eval", "createuser", "getcollectionnames", "findandmodify", "replaceone"};

std::size_t shell_call(std::string_view s) noexcept {
  // Found from the '.', which prose has fewer of than 'd's (a value may be a whole uploaded text).
  for (std::size_t dot = s.find('.', 2); dot != std::string_view::npos; dot = s.find('.', dot + 1)) {
    const std::size_t at = dot - 2;
    if (s[at] != 'd' || s[at + 1] != 'b') continue;
    if (at > 0 && (text::is_word(s[at - 1]) || s[at - 1] == '.')) continue;
    // "db.<collection>.<method>(" or "db.<method>(".
    std::size_t i = at + 3;
    for (int part = 0; part < 2; ++part) {
      const std::size_t word = i;
      while (i < s.size() && text::is_word(s[i])) ++i;
      if (i == word || i >= s.size()) break;
      if (s[i] == '(') {
        const std::string_view name = s.substr(word, i - word);
        for (const std::string_view m : kShellMethods) {
          if (!text::iequals(name, m)) continue;
          // "db.collection.find() projection" is a search about the call, not the call.
          const std::size_t close = s.find(')', i);
          std::size_t next = close == std::string_view::npos ? s.size() : close + 1;
          while (next < s.size() && text::is_space(s[next])) ++next;
          if (close != std::string_view::npos && next > close + 1 && next < s.size() && text::is_alpha(s[next])) break;
          return at;
        }
        break;
      }
      if (s[i] != '.') break;
      ++i;
    }
  }
  return std::string_view::npos;
}

// A JavaScript statement at `i`, by what must follow its keyword: "if (", "this.", "return x;",
// "var a =", "new Date(", "do {". Prose has the same words followed by words ("if you ask").
bool js_keyword_at(std::string_view s, std::size_t i) noexcept {
  struct Keyword {
    std::string_view word;
    std::string_view next;  // bytes one of which must come next (after blanks; after a name for "@")
  };
  static constexpr Keyword kKeywords[] = {
      {"if", "("},      {"while", "("},   {"for", "("},  {"sleep", "("}, {"function", "(@"}, {"this", "."},
      {"db", "."},      {"process", "."}, {"do", "{"},   {"var", "@="},  {"let", "@="},      {"const", "@="},
      {"new", "@("},    {"return", "@;|&)}.=/("},        {"throw", "@;|&)}.=/("}};
  for (const Keyword& k : kKeywords) {
    if (!text::istarts_with(s.substr(i), k.word)) continue;
    std::size_t j = i + k.word.size();
    if (j < s.size() && text::is_word(s[j])) continue;
    while (j < s.size() && text::is_space(s[j])) ++j;
    if (k.next.front() == '@') {
      // A name or a literal first ("return true;", "var x =", "new Date(").
      const std::size_t name = j;
      while (j < s.size() && (text::is_word(s[j]) || s[j] == '$')) ++j;
      if (j == name) return false;
      while (j < s.size() && text::is_space(s[j])) ++j;
      if (j >= s.size()) return k.word == "return" || k.word == "throw";
      return k.next.find(s[j], 1) != std::string_view::npos;
    }
    return j < s.size() && k.next.find(s[j]) != std::string_view::npos;
  }
  // An assignment statement: "';it=new Date();".
  std::size_t e = i;
  while (e < s.size() && text::is_word(s[e])) ++e;
  while (e < s.size() && text::is_space(s[e])) ++e;
  return e > i && text::is_alpha(s[i]) && e + 1 < s.size() && s[e] == '=' && s[e + 1] != '=';
}

// A string literal of a $where / mapReduce body closed by the value's first quote, then JavaScript:
// "';return true;var x='", "admin' || 1==1//", "a'; while(true){}". The first quote of a pasted
// snippet opens a literal ("x = 'a'; return x"), so only the first one counts.
std::size_t js_breakout(std::string_view s) noexcept {
  // Two memchr passes: find_first_of() would test every byte against the set.
  const std::size_t quote = std::min(s.find('\''), s.find('"'));
  if (quote == std::string_view::npos) return quote;
  std::size_t i = quote + 1;
  while (i < s.size() && text::is_space(s[i])) ++i;
  if (i < s.size() && s[i] == ';') {
    ++i;
    while (i < s.size() && text::is_space(s[i])) ++i;
    return i < s.size() && js_keyword_at(s, i) ? quote : std::string_view::npos;
  }
  if (i + 1 < s.size() && ((s[i] == '|' && s[i + 1] == '|') || (s[i] == '&' && s[i + 1] == '&'))) {
    const std::string_view rest = s.substr(i + 2, 48);
    if (rest.find("==") != std::string_view::npos || rest.find("!=") != std::string_view::npos) return quote;
  }
  return std::string_view::npos;
}

// Admin UIs and reporting APIs send mongo filters on purpose, under a field that says so
// ({"filter": {"age": {"$gte": 18}}}); there a comparison operator is the API, not an injection.
// Operators that run JavaScript count everywhere.
// Strapi-style bracket names ("filters[price][$lt]=50") are the same API. A parameter named
// "filter" whose value is JSON text is not: the value is where an injection lands.
bool inside_query_document(std::string_view location) noexcept {
  static constexpr std::string_view kContainers[] = {".filter", ".filters", ".query", ".where", ".criteria",
                                                     ".selector", ".conditions", ".$match", ".match"};
  for (const std::string_view c : kContainers) {
    for (std::size_t at = text::ifind(location, c); at != std::string_view::npos; at = text::ifind(location, c, at + 1)) {
      const std::size_t end = at + c.size();
      if (end < location.size() && (location[end] == '.' || location[end] == '[')) return true;
    }
  }
  return false;
}

class NosqliDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::nosqli; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    const bool key = value.kind == LocationKind::json_key || value.kind == LocationKind::query_name;
    int best = 0;
    std::size_t best_at = 0;
    for (std::size_t d = s.find('$'); d != std::string_view::npos; d = s.find('$', d + 1)) {
      const Operator* op = operator_at(s, d);
      if (op == nullptr) continue;
      // Where the operator sits decides whether a parser turns it into a query operator:
      // the whole JSON key, a bracketed name ("user[$ne]"), or a quoted key inside JSON text.
      const bool whole_key = key && d == 0 && d + 1 + op->name.size() == s.size();
      const std::size_t close = d + 1 + op->name.size();
      const bool bracket = d > 0 && s[d - 1] == '[' && close < s.size() && s[close] == ']';
      bool json_text = false;
      if (d > 0 && (s[d - 1] == '"' || s[d - 1] == '\'')) {
        std::size_t k = d + 1 + op->name.size();
        if (k < s.size() && s[k] == s[d - 1]) ++k;
        while (k < s.size() && text::is_space(s[k])) ++k;
        json_text = k < s.size() && s[k] == ':';
      }
      // Unquoted mongo shell syntax: "{$where: 'sleep(5000)'}", "{ $ne: 1 }".
      if (d > 0 && !json_text) {
        std::size_t b = d;
        while (b > 0 && text::is_space(s[b - 1])) --b;
        std::size_t k = d + 1 + op->name.size();
        while (k < s.size() && text::is_space(s[k])) ++k;
        json_text = b > 0 && (s[b - 1] == '{' || s[b - 1] == ',') && k < s.size() && s[k] == ':';
      }
      // A value that opens with a JavaScript operator and its body: "$where: '1 == 1'".
      if (d == 0 && op->score >= 95 && !json_text) {
        std::size_t k = 1 + op->name.size();
        while (k < s.size() && text::is_space(s[k])) ++k;
        json_text = k < s.size() && s[k] == ':';
      }
      if (!(whole_key || bracket || json_text)) continue;
      if ((whole_key || bracket) && op->score < 95 && inside_query_document(value.location)) continue;
      // Json.NET's "$type" type hint and JSON Schema's "$comment" are keys of their own formats.
      if (whole_key && !bracket && !json_text && (op->name == "type" || op->name == "comment")) continue;
      if (op->score > best) {
        best = op->score;
        best_at = d > 0 ? d - 1 : 0;
      }
    }
    // $where bodies: JavaScript comparisons against this.* ("this.password.match(/.*/)").
    // (From the least common byte: a value may be a whole uploaded text.)
    if (best == 0 && value.kind != LocationKind::body_text) {
      const std::size_t at = text::ifind_rare(s, "this.");
      const bool match_call = at != std::string_view::npos && text::ifind_rare(s, ".match(") != std::string_view::npos;
      if (at != std::string_view::npos && (match_call || text::ifind_rare(s, "return") != std::string_view::npos) &&
          (match_call || s.find("||") != std::string_view::npos || s.find("==") != std::string_view::npos)) {
        best = 75;
        best_at = at;
      }
    }
    std::string_view rule = "mongo query operator";
    if (best == 0) {
      if (const std::size_t at = shell_call(s); at != std::string_view::npos) {
        best = 80;
        best_at = at;
        rule = "mongo shell call";
      } else if (const std::size_t q = js_breakout(s); q != std::string_view::npos) {
        best = 75;
        best_at = q;
        rule = "string break-out into server-side JavaScript";
      }
    }
    if (best == 0) return;
    text::report(out, AttackClass::nosqli, value, s, best_at, 48, best, rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_nosqli() { return std::make_unique<NosqliDetector>(); }

}  // namespace waf::engine
