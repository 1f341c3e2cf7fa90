#include "engine/detect/sqli.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace sqli {
namespace {

using text::is_digit;
using text::is_hex;
using text::is_space;
using text::is_word;
using text::lower;

// ---- knowledge: words ------------------------------------------------------------------------
struct Word {
  std::string_view word;  // lower case
  char type;
};
// Sorted by word (checked by a unit test through lookup of every entry). Functions ('f', 'F') only
// count as functions when a '(' follows; otherwise they are barewords.
constexpr Word kWords[] = {
    {"abs", 'f'}, {"all_tables", 't'}, {"alter", 'E'}, {"and", '&'}, {"as", 'k'}, {"ascii", 'f'}, {"avg", 'f'},
    {"benchmark", 'F'}, {"between", 'l'}, {"bin", 'f'}, {"case", 'k'}, {"cast", 'f'}, {"ceil", 'f'},
    {"ceiling", 'f'}, {"char", 'f'}, {"char_length", 'f'}, {"chr", 'f'}, {"coalesce", 'f'}, {"collate", 'l'},
    {"compress", 'f'}, {"concat", 'f'}, {"concat_ws", 'f'}, {"conv", 'f'}, {"convert", 'f'}, {"cos", 'f'},
    {"cot", 'f'}, {"count", 'f'}, {"crc32", 'f'}, {"create", 'E'}, {"ctxsys.drithsx.sn", 'F'},
    {"current_database", 'f'}, {"current_timestamp", 'f'}, {"current_user", 'f'}, {"database", 'f'},
    {"date", 'f'}, {"date_format", 'f'}, {"datediff", 'f'}, {"day", 'f'}, {"db_name", 'f'},
    {"dbms_lock.sleep", 'F'}, {"dbms_pipe.receive_message", 'F'}, {"declare", 'E'}, {"default", 'f'},
    {"degrees", 'f'}, {"delete", 'E'}, {"div", 'l'}, {"drop", 'E'}, {"dual", 't'}, {"dumpfile", 'k'},
    {"else", 'k'}, {"elt", 'f'}, {"encode", 'f'}, {"end", 'k'}, {"exec", 'E'}, {"execute", 'E'},
    {"exists", 'f'}, {"exp", 'f'}, {"extract", 'f'}, {"extractvalue", 'F'}, {"false", '1'}, {"field", 'f'},
    {"find_in_set", 'f'}, {"floor", 'f'}, {"format", 'f'}, {"from", 'k'}, {"generate_series", 'f'},
    {"glob", 'l'}, {"group_concat", 'f'}, {"having", 'B'}, {"hex", 'f'}, {"host_name", 'f'}, {"if", 'f'},
    {"ifnull", 'f'}, {"iif", 'f'}, {"ilike", 'l'}, {"in", 'l'}, {"information_schema", 't'}, {"insert", 'E'},
    {"instr", 'f'}, {"intersect", 'U'}, {"into", 'k'}, {"is", 'l'}, {"is_srvrolemember", 'f'}, {"isnull", 'f'},
    {"json_array", 'f'}, {"json_build_object", 'f'}, {"json_extract", 'f'}, {"json_keys", 'f'},
    {"json_search", 'f'}, {"jsonb_pretty", 'f'}, {"last_insert_id", 'f'}, {"left", 'f'}, {"length", 'f'},
    {"like", 'l'}, {"likely", 'f'}, {"limit", 'B'}, {"ln", 'f'}, {"lo_export", 'F'}, {"lo_get", 'F'},
    {"lo_import", 'F'}, {"load_extension", 'F'}, {"load_file", 'F'}, {"locate", 'f'}, {"log", 'f'},
    {"lower", 'f'}, {"lpad", 'f'}, {"ltrim", 'f'}, {"make_date", 'f'}, {"make_set", 'f'}, {"master", 't'},
    {"max", 'f'}, {"md5", 'f'}, {"mid", 'f'}, {"min", 'f'}, {"mod", 'l'}, {"month", 'f'},
    {"msysaccessobjects", 't'}, {"mysql", 't'}, {"name_const", 'f'}, {"not", 'l'}, {"now", 'f'}, {"null", '1'},
    {"nullif", 'f'}, {"object_id", 'f'}, {"oct", 'f'}, {"or", '&'}, {"ord", 'f'}, {"outfile", 'k'},
    {"overlay", 'f'}, {"pg_catalog", 't'}, {"pg_read_file", 'F'}, {"pg_shadow", 't'}, {"pg_sleep", 'F'},
    {"pg_user", 't'}, {"pi", 'f'}, {"position", 'f'}, {"pow", 'f'}, {"power", 'f'}, {"procedure", 'k'},
    {"quote", 'f'}, {"radians", 'f'}, {"rand", 'f'}, {"randomblob", 'F'}, {"regexp", 'l'}, {"repeat", 'f'},
    {"replace", 'f'}, {"reverse", 'f'}, {"right", 'f'}, {"rlike", 'l'}, {"round", 'f'}, {"row_count", 'f'},
    {"rpad", 'f'}, {"rtrim", 'f'}, {"select", 'E'}, {"session_user", 'f'}, {"set", 'k'}, {"sha1", 'f'},
    {"shutdown", 'E'}, {"sign", 'f'}, {"sin", 'f'}, {"sleep", 'F'}, {"soundex", 'f'}, {"sounds", 'l'},
    {"sp_executesql", 'F'}, {"sp_password", 'F'}, {"space", 'f'}, {"sqlite_compileoption_get", 'f'},
    {"sqlite_master", 't'}, {"sqrt", 'f'}, {"starts_with", 'f'}, {"str_to_date", 'f'}, {"strcmp", 'f'},
    {"string_agg", 'f'}, {"substr", 'f'}, {"substring", 'f'}, {"sum", 'f'}, {"sys", 't'}, {"sys_eval", 'F'},
    {"sys_exec", 'F'}, {"syscolumns", 't'}, {"sysdate", 'f'}, {"sysobjects", 't'}, {"system_user", 'f'},
    {"table", 'k'}, {"tan", 'f'}, {"then", 'k'}, {"to_char", 'f'}, {"to_number", 'f'}, {"trim", 'f'},
    {"true", '1'}, {"truncate", 'E'}, {"uncompress", 'f'}, {"unhex", 'f'}, {"union", 'U'}, {"unistr", 'f'},
    {"update", 'E'}, {"updatexml", 'F'}, {"upper", 'f'}, {"user", 'f'}, {"user_name", 'f'},
    {"user_tables", 't'}, {"utl_http.request", 'F'}, {"utl_inaddr.get_host_address", 'F'}, {"uuid", 'f'},
    {"values", 'k'}, {"version", 'f'}, {"waitfor", 'E'}, {"when", 'k'}, {"where", 'k'}, {"xmltype", 'f'},
    {"xor", '&'}, {"xp_cmdshell", 'F'}, {"xp_dirtree", 'F'}, {"xp_regread", 'F'}, {"year", 'f'},
};
static_assert(std::is_sorted(std::begin(kWords), std::end(kWords),
                             [](const Word& a, const Word& b) { return a.word < b.word; }),
              "kWords must stay sorted for the binary search");

// ---- knowledge: injection shapes --------------------------------------------------------------
// '^' anchors at the start of the value (the injection begins where the application's literal
// ended), '$' at its end, '.' is any token. Scores: 90+ a query is certainly being rewritten (UNION SELECT, stacked
// statement, time delay); 75-89 a tautology or comment-out after a literal; below 75 plausible.
struct Shape {
  std::string_view pattern;
  int score;
  bool quote_context_only;  // the shape only means something after breaking out of a literal
};
constexpr Shape kShapes[] = {
    // Breaking out of a '...' literal, then a condition, a comment or a new clause.
    {"^s&so", 90, false}, {"^s&sl", 80, false}, {"^s&sc", 85, false}, {"^s&s$", 70, true},
    {"^s&1o", 90, false}, {"^s&1l", 80, false}, {"^s&1c", 85, false}, {"^s&1$", 75, true},
    {"^s&1)", 80, false}, {"^s&f(", 85, false}, {"^s&F", 95, false}, {"^s&(", 80, false},
    {"^s&n(", 80, false}, {"^s&1;", 85, false}, {"^sUo", 80, true},   {"^sUc", 85, true},
    {"^s&v", 80, false},  {"^s&no", 80, false}, {"^s&nl", 75, false}, {"^s&nc", 80, false},
    {"^s&E", 85, false},  {"^sc", 80, true},    {"^s;E", 90, false},  {"^s;c", 80, false},
    {"^s;$", 65, true},   {"^s)&", 85, false},   {"^s);", 85, false},
    {"^s)c", 80, true},   {"^s)o", 75, true},   {"^soF", 95, false},
    {"^sof(", 80, false}, {"^sos", 75, true},   {"^so(", 75, true},   {"^sonc", 80, false},
    {"^soc", 80, true},   {"^sov", 70, true},   {"^so1c", 80, false}, {"^sB1c", 85, false}, {"^sB1$", 75, true}, {"^sB1o", 85, false}, {"^sBnB", 85, false},
    {"^sBnc", 80, true},  {"^sB1,", 80, false}, {"^skks", 80, true},
    {"^sks", 80, true},   {"^sk1", 80, true},   {"^sk(", 80, true},   {"^skc", 80, true},
    {"^sl1", 75, true},   {"^sls", 75, true},   {"^sl(", 75, true},   {"^slnc", 80, true},
    // A numeric parameter followed by a condition, a union or a second statement.
    {"^1&1o", 85, false}, {"^1&1c", 80, false}, {"^1&1l", 75, false}, {"^1&so", 85, false},
    {"^1&f(", 80, false}, {"^1&F", 95, false},  {"^1&(", 75, false},  {"^1&v", 75, false},
    {"^1&no", 75, false}, {"^1&E", 85, false},  {"^1)&", 80, false},  
    {"^1);", 80, false},  {"^1)c", 80, false},  {"^1;E", 90, false},
    {"^1;c", 75, false},  {"^1B1", 80, false},  {"^1Bn", 75, false},  {"^1ks", 80, false},
    {"^1l(E", 90, false}, {"^1oF", 95, false},
    {"^n&1o", 80, false}, {"^n&so", 80, false}, {"^n&F", 95, false},  {"^n)&", 75, false},

    // A value that starts with a logic operator: the application already wrote "WHERE x = 1".
    {"^&so", 85, false},  {"^&1o", 85, false},  {"^&1c", 80, false},  {"^&(1o", 85, false},
    {"^&(so", 85, false}, {"^&(no", 80, false}, {"^&nos", 80, false}, {"^&no1", 80, false},
    {"^&no(", 80, false}, {"^&F", 95, false},   {"^1&1$", 70, false},
    // A literal followed by a call: "'+sleep(10)+'" after '+' became a blank.
    {"^sF", 90, false},   {"^s)E", 85, false},  {"Fs", 90, false},
    // Function calls opening the value: "concat(0x7e,version())", "substring(", "sp_password".
    {"^f($", 65, false},  {"^f(1", 70, false},  {"^f(s", 70, false},  {"^f(E", 90, false},
    {"^f(f", 75, false},  {"^f(v", 75, false},  {"^f(n,", 70, false},  {"^F$", 70, false},   {"^)knk", 75, false},
    {"^;E", 80, false},   {"^;En", 80, false},   {";Ekk", 85, false},  {";Ek(", 85, false},  {"UE$", 70, false},
    // A whole statement as the value.
    {"^Eok", 90, false},  {"^E1,", 80, false},  {"^E1k", 85, false},  {"^EF", 95, false},
    {"^Ef(", 80, false},  {"^E(", 75, false},   {"^Ev", 80, false},   {"^Enkn$", 75, false},
    {"^EnknB", 80, false}, {"^Enkn;", 80, false}, {"^Enknk", 80, false}, {"^Eknk", 85, false},
    {"^Ekn$", 75, false}, {"^Ekn(", 80, false}, {"^Ekn;", 85, false}, {"^Eknc", 85, false},
    {"^En;c", 70, false}, {"^En,nknk", 80, false}, {"^En,nkn$", 75, false},
    // Anywhere in the value.
    {"UE.", 95, false},   {"U(E", 95, false},   {";Ekn$", 85, false}, {";Eknk", 85, false},
    {";Ekn;", 85, false}, {";Eknc", 85, false}, {";Ekn(", 85, false}, {";Ekt", 90, false},
    {";Eo", 85, false},   {";Ev", 85, false},   {";EF", 95, false},   {";E1,", 85, false},
    {";E1k", 85, false},  {";Ef(", 85, false},  {"F(1)", 85, false},  {"F(1,", 85, false},
    {"F(s", 80, false},   {"F((", 85, false},   {"F(E", 95, false},   {"F(f", 85, false},
    {"F(F", 90, false},   {"F(v", 85, false},   {"F(1o", 80, false},  {"F($", 70, false},
    {"os&c", 80, false},  {"kt", 85, false},    {"s&sos", 85, false}, {"s&1o1", 85, false}, {"1&1o1", 80, false},
    {"s&so1", 80, false},   {"(Eo", 85, false},   {"(E1", 80, false},
    {"(Ev", 85, false},   {"(EF", 95, false},   {"(Ef(", 85, false},  {"(E(", 85, false},
    {"(Et", 85, false},   {"f(E", 90, false},
};

char lookup(std::string_view word) noexcept {
  std::array<char, 40> buf{};
  if (word.size() > buf.size()) return 0;
  for (std::size_t i = 0; i < word.size(); ++i) buf[i] = lower(word[i]);
  const std::string_view key(buf.data(), word.size());
  const auto* it = std::lower_bound(std::begin(kWords), std::end(kWords), key,
                                    [](const Word& w, std::string_view k) { return w.word < k; });
  return (it != std::end(kWords) && it->word == key) ? it->type : 0;
}

constexpr std::size_t kMaxLiteralPrefix = 64;

struct Token {
  char type;
  std::size_t pos;
  std::size_t len;
  bool arithmetic;  // an 'o' that folds "1 o 1" into "1"
};

// Tokenizes and folds in one pass, keeping at most kMaxFingerprint tokens.
class Fingerprinter {
 public:
  Fingerprinter(std::string_view text, Context context) noexcept : s_(text) {
    if (context == Context::none) return;
    const char q = context == Context::single_quote ? '\'' : '"';
    // An injected value breaks out of the literal early (after a name, an id, an email); a quote
    // far into a paragraph or on a later line is prose or code, not a break-out.
    const std::size_t close = s_.find(q);
    // The literal's content is data (a name, an id, an email), so it carries no code punctuation;
    // "elif x == '<':" and "s = re.compile(r'" are code quoting something.
    // A leading "name=" is an unparsed form body ("var=foo' or 1=1"), not code.
    std::string_view literal = close == std::string_view::npos ? s_ : s_.substr(0, close);
    const std::size_t name_end = literal.find('=');
    if (name_end != std::string_view::npos && name_end > 0 &&
        std::all_of(literal.begin(), literal.begin() + static_cast<std::ptrdiff_t>(name_end),
                    [](char c) { return is_word(c) || c == '-' || c == '.' || c == '[' || c == ']'; }))
      literal.remove_prefix(name_end + 1);
    if (close == std::string_view::npos || close > kMaxLiteralPrefix ||
        text::find_any(literal, "\n=()[]{}<>;") != std::string_view::npos) {
      applies_ = false;
      return;
    }
    emit({'s', 0, close + 1, false});
    i_ = close + 1;
  }

  bool applies() const noexcept { return applies_; }

  void run() noexcept {
    while (n_ < kMaxFingerprint && i_ < s_.size()) step();
  }

  std::string_view fingerprint() const noexcept { return {fp_.data(), n_}; }
  const Token& token(std::size_t k) const noexcept { return tokens_[k]; }

 private:
  bool only_space_from(std::size_t at) const noexcept {
    for (; at < s_.size(); ++at) {
      if (!is_space(s_[at])) return false;
    }
    return true;
  }

  // Position after whitespace and inline comments, used to see whether a '(' follows a word.
  std::size_t skip_blank(std::size_t at) const noexcept {
    while (at < s_.size()) {
      if (is_space(s_[at])) {
        ++at;
      } else if (s_.compare(at, 2, "/*") == 0) {
        const std::size_t end = s_.find("*/", at + 2);
        if (end == std::string_view::npos) return s_.size();
        at = end + 2;
      } else {
        break;
      }
    }
    return at;
  }

  void emit(Token t) noexcept {
    const char prev = n_ > 0 ? fp_[n_ - 1] : 0;
    // Unary operators change no shape: "- 1", "not (", "!x", "and not".
    if (t.type == 'o' || (t.type == 'l' && t.len == 3 && text::iequals(s_.substr(t.pos, 3), "not"))) {
      const bool unary_slot = prev == 0 || prev == '(' || prev == '&' || prev == 'o' || prev == 'l' ||
                              prev == ',' || prev == 'k' || prev == 'E' || prev == 'U' || prev == 'B' ||
                              prev == ';';
      const char c = s_[t.pos];
      if (unary_slot && (t.type == 'l' || (t.len == 1 && (c == '-' || c == '+' || c == '!' || c == '~'))))
        return;
    }
    // Arithmetic between values is still a value: "1+1" -> "1", "@a*2" -> "1".
    if ((t.type == '1' || t.type == 'v') && n_ >= 2 && fp_[n_ - 1] == 'o' && tokens_[n_ - 1].arithmetic &&
        (fp_[n_ - 2] == '1' || fp_[n_ - 2] == 'v')) {
      --n_;
      tokens_[n_ - 1].len = t.pos + t.len - tokens_[n_ - 1].pos;
      fp_[n_ - 1] = '1';
      return;
    }
    // "((" and "))" are one shape.
    if ((t.type == '(' || t.type == ')') && prev == t.type) return;
    // UNION ALL / UNION DISTINCT.
    if (prev == 'U' && t.type == 'n') {
      const auto w = s_.substr(t.pos, t.len);
      if (text::iequals(w, "all") || text::iequals(w, "distinct")) return;
    }
    tokens_[n_] = t;
    fp_[n_] = t.type;
    ++n_;
  }

  void step() noexcept {
    const char c = s_[i_];
    const std::size_t start = i_;
    if (is_space(c) || c == '{' || c == '}' || c == '[' || c == ']' || c == '\\' ||
        static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) {
      ++i_;
      return;
    }
    if (c == '\'' || c == '"') return string(c);
    if (c == '`') {
      const std::size_t end = s_.find('`', i_ + 1);
      i_ = end == std::string_view::npos ? s_.size() : end + 1;
      return emit({'n', start, i_ - start, false});
    }
    if (is_digit(c) || (c == '.' && i_ + 1 < s_.size() && is_digit(s_[i_ + 1]))) return number();
    if (c == '@') {
      ++i_;
      if (i_ < s_.size() && s_[i_] == '@') ++i_;
      while (i_ < s_.size() && (is_word(s_[i_]) || s_[i_] == '.' || s_[i_] == '$')) ++i_;
      return emit({'v', start, i_ - start, false});
    }
    if (text::is_alpha(c) || c == '_' || c == '$') return word();
    if (c == '-' && i_ + 1 < s_.size() && s_[i_ + 1] == '-') return line_comment();
    if (c == '#') return line_comment();
    if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '*') return block_comment();
    if (c == '*' && in_exec_comment_ && i_ + 1 < s_.size() && s_[i_ + 1] == '/') {
      in_exec_comment_ = false;
      i_ += 2;
      return;
    }
    if (c == '(' || c == ')' || c == ',' || c == ';') {
      ++i_;
      return emit({c, start, 1, false});
    }
    if (c == '.' || c == ':') {
      ++i_;
      if (c == ':' && i_ < s_.size() && s_[i_] == ':') {
        ++i_;
        return emit({'o', start, 2, false});  // PostgreSQL cast
      }
      return emit({c, start, 1, false});
    }
    return op();
  }

  void string(char q) noexcept {
    const std::size_t start = i_++;
    while (i_ < s_.size()) {
      if (s_[i_] == '\\') {
        i_ += 2;
        continue;
      }
      if (s_[i_] == q) {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == q) {  // '' inside '...'
          i_ += 2;
          continue;
        }
        ++i_;
        break;
      }
      ++i_;
    }
    if (i_ > s_.size()) i_ = s_.size();
    emit({'s', start, i_ - start, false});
  }

  void number() noexcept {
    const std::size_t start = i_;
    if (s_[i_] == '0' && i_ + 1 < s_.size() && (s_[i_ + 1] == 'x' || s_[i_ + 1] == 'X' || s_[i_ + 1] == 'b')) {
      i_ += 2;
      while (i_ < s_.size() && is_hex(s_[i_])) ++i_;
    } else {
      while (i_ < s_.size() && (is_digit(s_[i_]) || s_[i_] == '.')) ++i_;
      if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E') && i_ + 1 < s_.size() &&
          (is_digit(s_[i_ + 1]) || s_[i_ + 1] == '-' || s_[i_ + 1] == '+')) {
        i_ += 2;
        while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
      }
    }
    // "2nd", "3px", "1a2b": a word that starts with digits.
    if (i_ < s_.size() && (is_word(s_[i_]) || s_[i_] == '$')) {
      while (i_ < s_.size() && is_word(s_[i_])) ++i_;
      return emit({'n', start, i_ - start, false});
    }
    emit({'1', start, i_ - start, false});
  }

  void word() noexcept {
    const std::size_t start = i_;
    while (i_ < s_.size() &&
           (is_word(s_[i_]) || s_[i_] == '$' ||
            (s_[i_] == '.' && i_ + 1 < s_.size() && (is_word(s_[i_ + 1]) || s_[i_ + 1] == '.'))))
      ++i_;
    const std::string_view w = s_.substr(start, i_ - start);
    // "time.sleep(5)" is a method call in some other language, not SQL.
    const bool member = start > 0 && s_[start - 1] == '.';
    char type = lookup(w);
    if (type == 0) {
      const std::size_t dot = w.find('.');
      const std::size_t last_dot = w.rfind('.');
      const std::string_view last = last_dot == std::string_view::npos ? w : w.substr(last_dot + 1);
      if (dot != std::string_view::npos && lookup(w.substr(0, dot)) == 't') {
        type = 't';
      } else if (text::istarts_with(last, "xp_") || text::istarts_with(last, "sp_")) {
        type = 'F';
      } else {
        type = 'n';
      }
    }
    if (type == 'f' || type == 'F') {
      const std::size_t next = skip_blank(i_);
      const bool call = !member && next < s_.size() && s_[next] == '(';
      // MSSQL procedures are called without parentheses: "exec xp_cmdshell 'dir'".
      const bool procedure = text::istarts_with(w, "xp_") || text::istarts_with(w, "sp_");
      if (!call && !procedure) type = 'n';
    }
    if (type == 'E' && member) type = 'n';
    // WAITFOR DELAY '0:0:5' / WAITFOR TIME: the MSSQL time-based probe.
    if (type == 'E' && text::iequals(w, "waitfor")) {
      const std::size_t next = skip_blank(i_);
      if (text::istarts_with(s_.substr(next), "delay") || text::istarts_with(s_.substr(next), "time")) {
        i_ = next;
        while (i_ < s_.size() && text::is_alpha(s_[i_])) ++i_;
        return emit({'F', start, i_ - start, false});
      }
    }
    // ORDER BY / GROUP BY.
    if (type == 'n' && (text::iequals(w, "order") || text::iequals(w, "group"))) {
      std::size_t next = skip_blank(i_);
      if (next + 2 <= s_.size() && text::iequals(s_.substr(next, 2), "by") &&
          (next + 2 == s_.size() || !is_word(s_[next + 2]))) {
        i_ = next + 2;
        return emit({'B', start, i_ - start, false});
      }
    }
    const bool arith = type == 'l' && (text::iequals(w, "div") || text::iequals(w, "mod"));
    emit({arith ? 'o' : type, start, w.size(), arith});
  }

  void line_comment() noexcept {
    const std::size_t start = i_;
    const std::size_t nl = s_.find('\n', i_);
    i_ = nl == std::string_view::npos ? s_.size() : nl + 1;
    if (nl == std::string_view::npos || only_space_from(i_)) emit({'c', start, s_.size() - start, false});
  }

  void block_comment() noexcept {
    const std::size_t start = i_;
    if (i_ + 2 < s_.size() && s_[i_ + 2] == '!') {  // MySQL /*!50000 select */: the content is code
      i_ += 3;
      while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
      in_exec_comment_ = true;
      return;
    }
    const std::size_t end = s_.find("*/", i_ + 2);
    i_ = end == std::string_view::npos ? s_.size() : end + 2;
    if (end == std::string_view::npos || only_space_from(i_)) emit({'c', start, s_.size() - start, false});
  }

  void op() noexcept {
    static constexpr std::string_view kLong[] = {"<=>", "->>", "<=", ">=", "<>", "!=", "==", "||", "&&",
                                                 "->", "<@", "@>", "?|", "?&", "!<", "!>"};
    const std::size_t start = i_;
    for (auto l : kLong) {
      if (s_.compare(i_, l.size(), l) == 0) {
        i_ += l.size();
        const bool logic = l == "||" || l == "&&";
        return emit({logic ? '&' : 'o', start, l.size(), false});
      }
    }
    const char c = s_[i_++];
    const bool arith = c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '^' || c == '|' || c == '&';
    emit({'o', start, 1, arith});
  }

  std::string_view s_;
  std::size_t i_ = 0;
  bool applies_ = true;
  bool in_exec_comment_ = false;
  // Left uninitialised: only [0, n_) is ever read, and clearing 1.5 KB three times per value
  // costs more than tokenizing a short one.
  std::array<Token, kMaxFingerprint> tokens_;
  std::array<char, kMaxFingerprint> fp_;
  std::size_t n_ = 0;
};

// Where `pattern` matches `fp`: the index of its first token, or npos.
std::size_t match(std::string_view fp, std::string_view pattern) noexcept {
  const bool start = !pattern.empty() && pattern.front() == '^';
  if (start) pattern.remove_prefix(1);
  const bool end = !pattern.empty() && pattern.back() == '$';
  if (end) pattern.remove_suffix(1);
  if (pattern.size() > fp.size()) return std::string_view::npos;
  const std::size_t last = start ? 0 : fp.size() - pattern.size();
  for (std::size_t at = 0; at <= last; ++at) {
    if (end && at + pattern.size() != fp.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < pattern.size() && same; ++k) same = pattern[k] == '.' || pattern[k] == fp[at + k];
    if (same) return at;
  }
  return std::string_view::npos;
}

// The token types a fingerprint or a shape contains ('.' in a shape is any token, so it requires
// none). A shape can only match a fingerprint holding all its types: one mask test skips most of
// the table for most values, which is most of the detector's cost on benign text.
class TypeSet {
 public:
  constexpr void add(char c) noexcept {
    const auto b = static_cast<unsigned char>(c) & 127U;
    bits_[b >> 6] |= std::uint64_t{1} << (b & 63U);
  }
  constexpr bool subset_of(const TypeSet& other) const noexcept {
    return ((bits_[0] & ~other.bits_[0]) | (bits_[1] & ~other.bits_[1])) == 0;
  }

 private:
  std::array<std::uint64_t, 2> bits_{};
};

constexpr TypeSet fingerprint_types(std::string_view fp) noexcept {
  TypeSet t;
  for (const char c : fp) t.add(c);
  return t;
}

constexpr auto kShapeTypes = [] {
  std::array<TypeSet, std::size(kShapes)> types{};
  for (std::size_t k = 0; k < std::size(kShapes); ++k) {
    for (const char c : kShapes[k].pattern) {
      if (c != '^' && c != '$' && c != '.') types[k].add(c);
    }
  }
  return types;
}();

class SqliDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::sqli; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    if (s.empty()) return;
    const Shape* best = nullptr;
    std::size_t best_from = 0, best_to = 0;
    std::array<char, kMaxFingerprint> best_fp{};
    std::size_t best_fp_len = 0;
    for (Context context : {Context::none, Context::single_quote, Context::double_quote}) {
      Fingerprinter f(s, context);
      if (!f.applies()) continue;
      f.run();
      const std::string_view fp = f.fingerprint();
      const TypeSet fp_types = fingerprint_types(fp);
      for (std::size_t k = 0; k < std::size(kShapes); ++k) {
        const Shape& shape = kShapes[k];
        if (!kShapeTypes[k].subset_of(fp_types)) continue;
        if (shape.quote_context_only && context == Context::none) continue;
        if (best != nullptr && shape.score <= best->score) continue;
        const std::size_t at = match(fp, shape.pattern);
        if (at == std::string_view::npos) continue;
        std::size_t len = shape.pattern.size() - (shape.pattern.front() == '^') - (shape.pattern.back() == '$');
        const Token& first = f.token(at);
        const Token& last = f.token(std::min(at + len, fp.size()) - 1);
        best = &shape;
        best_from = first.pos;
        best_to = last.pos + last.len;
        best_fp_len = fp.size();
        std::copy(fp.begin(), fp.end(), best_fp.begin());
      }
    }
    if (best == nullptr) return;
    std::string detail = "fingerprint ";
    detail.append(best_fp.data(), best_fp_len);
    detail.append(" shape ");
    detail.append(best->pattern);
    text::report(out, AttackClass::sqli, value, s, best_from, best_to - best_from, best->score, detail);
  }
};

}  // namespace

std::string fingerprint(std::string_view text, Context context) {
  Fingerprinter f(text, context);
  if (!f.applies()) return {};
  f.run();
  return std::string(f.fingerprint());
}

}  // namespace sqli

std::unique_ptr<Detector> make_sqli() { return std::make_unique<sqli::SqliDetector>(); }

}  // namespace waf::engine
