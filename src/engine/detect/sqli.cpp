#include "engine/detect/sqli.hpp"

#include <algorithm>
#include <array>
#include <bit>
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
// count as functions when a '(' follows; otherwise they are barewords. 'g' is a function only SQL
// has (ascii, concat, version ...): it reads as 'f' and marks the value as SQL (kSqlOnly shapes);
// "max(3, 5)" and "log(100) = 2" are arithmetic anyone types. 'n' is a bareword that
// Fingerprinter::word() reads in context (ORDER BY, COPY ... TO PROGRAM, CREATE SCHEMA): every word
// word() looks at is listed, so a word missing here is a plain bareword without further tests.
constexpr Word kWords[] = {
    {"abs", 'f'}, {"all_tables", 't'}, {"alter", 'E'}, {"and", '&'}, {"as", 'k'}, {"ascii", 'g'}, {"avg", 'f'},
    {"benchmark", 'F'}, {"between", 'l'}, {"bin", 'f'}, {"case", 'k'}, {"cast", 'g'}, {"ceil", 'f'},
    {"ceiling", 'f'}, {"char", 'g'}, {"char_length", 'g'}, {"chr", 'g'}, {"coalesce", 'g'}, {"collate", 'l'},
    {"compress", 'g'}, {"concat", 'g'}, {"concat_ws", 'g'}, {"conv", 'g'}, {"convert", 'g'}, {"cos", 'f'},
    {"cot", 'f'}, {"count", 'f'}, {"crc32", 'f'}, {"create", 'E'}, {"ctxsys.drithsx.sn", 'F'},
    {"current_database", 'g'}, {"current_timestamp", 'g'}, {"current_user", 'g'}, {"database", 'g'},
    {"date", 'f'}, {"date_format", 'g'}, {"datediff", 'f'}, {"day", 'f'}, {"db_name", 'g'},
    {"dbms_lock.sleep", 'F'}, {"dbms_pipe.receive_message", 'F'}, {"declare", 'E'}, {"default", 'f'},
    {"degrees", 'f'}, {"delete", 'E'}, {"div", 'l'}, {"drop", 'E'}, {"dual", 't'}, {"dumpfile", 'k'},
    {"else", 'k'}, {"elt", 'g'}, {"encode", 'f'}, {"end", 'k'}, {"exec", 'E'}, {"execute", 'E'},
    {"exists", 'f'}, {"exp", 'f'}, {"extract", 'f'}, {"extractvalue", 'F'}, {"false", '1'}, {"field", 'f'},
    {"find_in_set", 'g'}, {"floor", 'f'}, {"format", 'f'}, {"from", 'k'}, {"function", 'k'},
    {"generate_series", 'g'}, {"glob", 'l'}, {"greatest", 'g'}, {"group", 'n'}, {"group_concat", 'g'}, {"having", 'B'},
    {"hex", 'g'}, {"host_name", 'g'}, {"if", 'f'}, {"ifnull", 'g'}, {"iif", 'g'}, {"ilike", 'l'}, {"in", 'l'},
    {"information_schema", 't'}, {"insert", 'E'}, {"instr", 'g'}, {"intersect", 'U'}, {"into", 'k'},
    {"is", 'l'}, {"is_srvrolemember", 'g'}, {"isnull", 'g'}, {"json_array", 'g'}, {"json_build_object", 'g'},
    {"json_extract", 'g'}, {"json_keys", 'g'}, {"json_search", 'g'}, {"jsonb_pretty", 'g'},
    {"last_insert_id", 'g'}, {"least", 'g'}, {"left", 'f'}, {"length", 'f'}, {"like", 'l'}, {"likely", 'f'},
    {"limit", 'B'}, {"ln", 'f'}, {"lo_export", 'F'}, {"lo_get", 'F'}, {"lo_import", 'F'},
    {"load_extension", 'F'}, {"load_file", 'F'}, {"locate", 'g'}, {"log", 'f'}, {"lower", 'f'}, {"lpad", 'f'},
    {"ltrim", 'f'}, {"make_date", 'f'}, {"make_set", 'g'}, {"master", 't'}, {"max", 'f'}, {"md5", 'g'},
    {"mid", 'g'}, {"min", 'f'}, {"mod", 'l'}, {"month", 'f'}, {"msysaccessobjects", 't'}, {"mysql", 't'},
    {"name_const", 'g'}, {"not", 'l'}, {"notnull", 'l'}, {"now", 'f'}, {"null", '1'}, {"nullif", 'g'},
    {"object_id", 'g'}, {"oct", 'f'}, {"or", '&'}, {"ord", 'g'}, {"order", 'n'}, {"outfile", 'k'}, {"overlay", 'f'},
    {"pg_catalog", 't'}, {"pg_read_file", 'F'}, {"pg_shadow", 't'}, {"pg_sleep", 'F'}, {"pg_user", 't'},
    {"pi", 'f'}, {"position", 'f'}, {"pow", 'f'}, {"power", 'f'}, {"procedure", 'k'}, {"quote", 'f'},
    {"radians", 'f'}, {"rand", 'f'}, {"randomblob", 'F'}, {"regexp", 'l'}, {"repeat", 'f'}, {"replace", 'f'},
    {"reverse", 'f'}, {"right", 'f'}, {"rlike", 'l'}, {"round", 'f'}, {"row_count", 'g'}, {"rpad", 'f'},
    {"rtrim", 'f'}, {"schema", 'n'}, {"select", 'E'}, {"session_user", 'g'}, {"set", 'k'}, {"sha1", 'g'}, {"shutdown", 'E'},
    {"sign", 'f'}, {"sin", 'f'}, {"sleep", 'F'}, {"soundex", 'g'}, {"sounds", 'l'}, {"sp_executesql", 'F'},
    {"sp_password", 'F'}, {"space", 'f'}, {"sqlite_compileoption_get", 'g'}, {"sqlite_master", 't'},
    {"sqrt", 'f'}, {"starts_with", 'g'}, {"str_to_date", 'g'}, {"strcmp", 'g'}, {"string_agg", 'g'},
    {"substr", 'g'}, {"substring", 'g'}, {"sum", 'f'}, {"sys", 't'}, {"sys_eval", 'F'}, {"sys_exec", 'F'},
    {"syscolumns", 't'}, {"sysdate", 'g'}, {"sysobjects", 't'}, {"system_user", 'g'}, {"table", 'k'},
    {"tan", 'f'}, {"then", 'k'}, {"to", 'n'}, {"to_char", 'g'}, {"to_number", 'g'}, {"trigger", 'k'}, {"trim", 'f'},
    {"true", '1'}, {"truncate", 'E'}, {"uncompress", 'g'}, {"unhex", 'g'}, {"union", 'U'}, {"unistr", 'g'},
    {"update", 'E'}, {"updatexml", 'F'}, {"upper", 'f'}, {"user", 'g'}, {"user_name", 'g'},
    {"user_tables", 't'}, {"utl_http.request", 'F'}, {"utl_inaddr.get_host_address", 'F'}, {"uuid", 'f'},
    {"values", 'k'}, {"version", 'g'}, {"waitfor", 'E'}, {"when", 'k'}, {"where", 'k'}, {"xmltype", 'g'},
    {"xor", '&'}, {"xp_cmdshell", 'F'}, {"xp_dirtree", 'F'}, {"xp_regread", 'F'}, {"year", 'f'},
};
static_assert(std::is_sorted(std::begin(kWords), std::end(kWords),
                             [](const Word& a, const Word& b) { return a.word < b.word; }),
              "kWords stays sorted, so a word is listed once and easy to find");

// ---- knowledge: injection shapes --------------------------------------------------------------
// '^' anchors at the start of the value (the injection begins where the application's literal
// ended), '$' at its end, '.' is any token. Scores: 90+ a query is certainly being rewritten (UNION SELECT, stacked
// statement, time delay); 75-89 a tautology or comment-out after a literal; below 75 plausible.
// Conditions a shape adds to its token pattern, for shapes that ordinary text can also take.
enum ShapeFlag : unsigned {
  kQuoteOnly = 1U,     // only means something after breaking out of a literal
  kSqlOnly = 2U,       // the value must also use SQL-only vocabulary (see Fingerprinter::sql_only)
  kShortTail = 4U,     // the value ends in a short, blank-free unterminated literal ("' or 'a")
  kSameOperands = 8U,  // the two values are the same text ("1 or 1", not "1 or 2"), or SQL-only
                       // vocabulary surrounds them ("9999 or /* hint */ true")
  kNoWordAfter = 16U,  // no bareword follows: "sleep(5) vs time.sleep" is a sentence about a call
  kSystemVariable = 32U,  // a system variable ("select @@version") or a declared one ("declare @x"),
                          // not a mention ("update @john")
  kNoProseTail = 64U,  // the value does not end in a long unterminated literal with blanks, the way
                       // a code line quoting a character and commenting on it does ("'-'  # 0x2D")
  kCommentTail = 128U,  // the value ends in a bare comment that cuts the rest of the query off
                        // ("ORDER BY 3--", "... #"), where a note says something ("order by 12 #fast")
};
struct Shape {
  std::string_view pattern;
  int score;
  unsigned flags;  // ShapeFlag bits
};
constexpr Shape kShapes[] = {
    // Breaking out of a '...' literal, then a condition, a comment or a new clause.
    {"^s&so", 90, 0}, {"^s&sl", 80, 0}, {"^s&sc", 85, 0}, {"^s&s$", 70, kQuoteOnly | kShortTail},
    {"^s&1o", 90, 0}, {"^s&1l", 80, 0}, {"^s&1c", 85, 0}, {"^s&1$", 75, kQuoteOnly},
    {"^s&1)", 80, 0}, {"^s&f(", 85, 0}, {"^s&F", 95, 0}, {"^s&(", 80, 0},
    {"^s&n(", 80, 0}, {"^s&1;", 85, 0}, {"^sUo", 80, kQuoteOnly}, {"^sUc", 85, kQuoteOnly},
    {"^s&v", 80, 0}, {"^s&no", 80, 0}, {"^s&nl", 75, 0}, {"^s&nc", 80, 0},
    {"^s&E", 85, 0}, {"^s&kk", 85, 0}, {"^s&c", 80, kQuoteOnly}, {"^s&l(", 80, kQuoteOnly},
    {"^sc", 80, kQuoteOnly}, {"^s;E", 90, 0}, {"^s;c", 80, 0}, {"^s;$", 65, kQuoteOnly},
    {"^s)&", 85, 0}, {"^s);", 85, 0}, {"^s)c", 80, kQuoteOnly}, {"^s)o", 75, kQuoteOnly},
    {"^soF", 95, 0}, {"^sof(", 80, 0}, {"^sos", 75, kQuoteOnly | kNoProseTail}, {"^so(", 75, kQuoteOnly},
    {"^sonc", 80, 0}, {"^soc", 80, kQuoteOnly}, {"^sov", 70, kQuoteOnly}, {"^so1c", 80, 0},
    {"^so1os$", 75, kQuoteOnly | kShortTail},
    {"^sB1c", 85, 0}, {"^sB1$", 75, kQuoteOnly}, {"^sB1o", 85, 0}, {"^sBnB", 85, 0},
    {"^sBnc", 80, kQuoteOnly}, {"^sB1,", 80, 0}, {"^skks", 80, kQuoteOnly},
    {"^sks", 80, kQuoteOnly}, {"^sk1", 80, kQuoteOnly}, {"^sk(", 80, kQuoteOnly}, {"^skc", 80, kQuoteOnly},
    {"^sl1", 75, kQuoteOnly}, {"^sls", 75, kQuoteOnly}, {"^sl(", 75, kQuoteOnly}, {"^slnc", 80, kQuoteOnly},
    // A numeric parameter followed by a condition, a union or a second statement.
    {"^1&1o", 85, 0}, {"^1&1c", 80, 0}, {"^1&1l", 75, 0}, {"^1&so", 85, 0},
    {"^1&f(", 80, 0}, {"^1&F", 95, 0}, {"^1&(", 75, 0}, {"^1&v", 75, 0},
    {"^1&no", 75, 0}, {"^1F", 90, 0}, {"^1&E", 85, 0}, {"^1&kk", 80, 0}, {"^1&sl", 75, 0},
    {"^1&1$", 70, kSameOperands}, {"^1)&", 80, 0}, {"^1);", 80, 0}, {"^1)c", 80, 0},
    {"^1;E", 90, 0}, {"^1;c", 75, 0}, {"^1B1", 80, 0}, {"^1Bn", 75, 0},
    {"^1ks", 80, 0}, {"^1l(E", 90, 0}, {"^1oF", 95, 0},
    {"^n&1o", 80, 0}, {"^n&so", 80, 0}, {"^n&F", 95, 0}, {"^n)&", 75, 0},
    // A value that starts with a logic operator: the application already wrote "WHERE x = 1".
    {"^&so", 85, 0}, {"^&1o", 85, 0}, {"^&1c", 80, 0}, {"^&(1o", 85, 0},
    {"^&(so", 85, 0}, {"^&(no", 80, 0}, {"^&nos", 80, 0}, {"^&no1", 80, 0},
    {"^&no(", 80, 0}, {"^&F", 95, 0}, {"^&f(", 80, kSqlOnly},
    {"^&non", 80, kSameOperands}, {"^&sl(", 80, 0}, {"^&(f(", 80, kSqlOnly}, {"^&1l(E", 90, 0},
    // Closing the application's parenthesis first: ") or ('x'='x", "1)) or sleep(5)#".
    {"^)&so", 85, 0}, {"^)&(so", 85, 0}, {"^)&1o", 85, 0}, {"^)&(1o", 85, 0}, {"^)&F", 95, 0},
    // A clause probing the column count: "ORDER BY 10--", "GROUP BY 1,2,3#".
    {"^B1", 80, kCommentTail}, {"^s&1B", 85, 0}, {"^sUB", 85, 0},
    // An INSERT ... VALUES or UPDATE ... SET the value continues: "x'), ('admin', 'pw')--",
    // "x', (select password from users))--", "x', is_admin=1 where name='bob'--".
    {"^s),(s", 80, kQuoteOnly}, {"^s),(1", 80, kQuoteOnly}, {"^s,(E", 85, 0},
    {"^s,.)c", 80, kQuoteOnly}, {"^s,.,.)c", 80, kQuoteOnly}, {"^s,.,.,.)c", 80, kQuoteOnly},
    {"^s,no1", 75, kQuoteOnly}, {"^s,nos", 75, kQuoteOnly | kShortTail},
    // CASE WHEN <condition> THEN: a conditional only SQL writes this way.
    {"kk(1o1)k", 85, 0}, {"kk1o1k", 85, 0}, {"kk(1)k", 85, 0},
    // A function list after a comma in an ORDER BY or a column list: ", find_in_set('2', col)".
    {"^,f(", 75, kSqlOnly},
    // A literal followed by a call: "'+sleep(10)+'" after '+' became a blank.
    {"^sF", 90, 0}, {"^s)E", 85, 0}, {"Fs", 90, 0},
    // Function calls opening the value: "concat(0x7e,version())", "substring(", "sp_password".
    {"^f($", 65, 0}, {"^f(1", 70, kSqlOnly}, {"^f(s", 70, kSqlOnly}, {"^f(E", 90, 0},
    {"^f(f", 75, kSqlOnly}, {"^f(v", 75, 0}, {"^f(n,", 70, kSqlOnly}, {"^F$", 70, 0},
    {"^)knk", 75, 0}, {"^)l(", 75, 0}, {"^)ls", 75, 0}, {"^;E", 80, 0}, {"^;En", 80, 0}, {";Ekk", 85, 0}, {";Ek(", 85, 0}, {"UE$", 70, 0},
    // A whole statement as the value.
    {"^Eok", 90, 0}, {"^E1,", 80, 0}, {"^E1k", 85, 0}, {"^EF", 95, 0},
    {"^E1", 75, kSqlOnly}, {"^En$", 75, kSqlOnly}, {"^Ekk", 80, 0},
    {"^Ef(", 80, 0}, {"^E(", 75, kSqlOnly}, {"^E($", 70, 0}, {"^E(k", 80, 0},
    {"^Ev", 80, kSystemVariable}, {"^Enkn$", 75, 0},
    {"^EnBnB", 85, 0}, {"^Enkno", 80, 0}, {"^EnknB", 80, 0}, {"^Enkn;", 80, 0}, {"^Enknk", 80, 0}, {"^Eknk", 85, 0},
    {"^Ekn$", 75, 0}, {"^Ekn(", 80, 0}, {"^Ekn;", 85, 0}, {"^Eknc", 85, 0},
    {"^En;c", 70, 0}, {"^En,nknk", 80, 0}, {"^En,nkn$", 75, 0},
    // PostgreSQL casts forcing a conversion error: "password::int", "'{...}'::jsonb @> ...".
    {"^nX$", 75, 0}, {"^1X", 80, 0}, {"nXo", 80, 0}, {"sX", 80, 0}, {")X", 90, 0}, {"&sX", 85, 0},
    // Anywhere in the value.
    {"UE.", 95, 0}, {"U(E", 95, 0}, {"EF", 90, 0}, {";Ekn$", 85, 0}, {";Eknk", 85, 0},
    {";Ekn;", 85, 0}, {";Eknc", 85, 0}, {";Ekn(", 85, 0}, {";Ekt", 90, 0},
    {";Eo", 85, 0}, {";Ev", 85, 0}, {";EF", 95, 0}, {";E1,", 85, 0}, {";kvo", 85, 0},
    {";E1k", 85, 0}, {";Ef(", 85, 0}, {"F(1)", 85, kNoWordAfter}, {"F(1,", 85, 0},
    {"F(s", 80, 0}, {"F((", 85, 0}, {"F(E", 95, 0}, {"F(f", 85, 0},
    {"F(F", 90, 0}, {"F(v", 85, 0}, {"F(1o", 80, 0}, {"F($", 70, 0},
    {"os&c", 80, 0}, {"kt", 85, 0}, {"s&sos", 85, 0}, {"s&1o1", 85, 0}, {"1&1o1", 80, 0},
    {"s&so1", 80, 0}, {"(Eok", 85, 0}, {"(Ekk", 85, 0}, {"(E1", 80, 0},
    {"(Ev", 85, 0}, {"(EF", 95, 0}, {"(Ef(", 85, 0}, {"(E(", 85, 0},
    {"(Et", 85, 0}, {"f(E", 90, 0},
};

// kWords grouped by first letter (every word starts with one) and length: a lookup compares the
// few words of its group, often none, and a word starting with anything else or longer than any
// entry costs nothing.
constexpr std::size_t kLongestWord = [] {
  std::size_t longest = 0;
  for (const Word& w : kWords) longest = std::max(longest, w.word.size());
  return longest;
}();
constexpr std::size_t word_group(char first, std::size_t size) noexcept {
  return static_cast<std::size_t>(first - 'a') * (kLongestWord + 1) + size;
}
struct WordIndex {
  std::array<std::uint16_t, std::size(kWords)> order{};    // indices into kWords, grouped
  std::array<std::uint16_t, 26 * (kLongestWord + 1) + 1> begin{};  // group g is order[begin[g], begin[g + 1])
};
constexpr WordIndex kWordIndex = [] {
  WordIndex index;
  for (const Word& w : kWords) ++index.begin[word_group(w.word[0], w.word.size()) + 1];
  for (std::size_t g = 1; g < index.begin.size(); ++g) index.begin[g] = static_cast<std::uint16_t>(index.begin[g] + index.begin[g - 1]);
  std::array<std::uint16_t, 26 * (kLongestWord + 1)> next{};
  for (std::size_t g = 0; g < next.size(); ++g) next[g] = index.begin[g];
  for (std::size_t k = 0; k < std::size(kWords); ++k)
    index.order[next[word_group(kWords[k].word[0], kWords[k].word.size())]++] = static_cast<std::uint16_t>(k);
  return index;
}();
static_assert(std::all_of(std::begin(kWords), std::end(kWords),
                          [](const Word& w) { return !w.word.empty() && w.word[0] >= 'a' && w.word[0] <= 'z'; }),
              "every word in kWords starts with a lower-case letter");

char lookup(std::string_view word) noexcept {
  if (word.empty() || word.size() > kLongestWord) return 0;
  const char first = lower(word[0]);
  if (first < 'a' || first > 'z') return 0;
  const std::size_t group = word_group(first, word.size());
  for (std::size_t k = kWordIndex.begin[group]; k < kWordIndex.begin[group + 1]; ++k) {
    const Word& w = kWords[kWordIndex.order[k]];
    std::size_t j = 1;
    while (j < word.size() && lower(word[j]) == w.word[j]) ++j;
    if (j == word.size()) return w.type;
  }
  return 0;
}

constexpr std::size_t kMaxLiteralPrefix = 64;
// What a literal's content holds when it is code rather than data (see Fingerprinter's constructor),
// and the blanks that tell prose from a token.
constexpr text::ByteTable kCodeBytes("\n=()[]{}<>;");
constexpr text::ByteTable kBlanks(" \t");
constexpr text::ByteTable kBlanksAndBreaks(" \t\r\n");

// What a byte starts, for Fingerprinter::step(): one table lookup per token instead of a chain of
// comparisons, which benign text (words and blanks) would run to its end.
enum class ByteClass : std::uint8_t {
  other,  // an operator
  blank,  // blanks, control and non-ASCII bytes, and brackets, which SQL does not need
  open_brace,
  plus,
  quote,
  backtick,
  prefix_letter,  // N, X, B, E: may prefix a literal (N'...')
  word,           // the other letters, '_' and '$'
  digit,
  dot,
  colon,
  at,
  dash,
  hash,
  slash,
  star,
  punctuation,  // ( ) , ;
};
constexpr auto kByteClass = [] {
  std::array<ByteClass, 256> table{};
  for (unsigned b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if (b < 0x20 || b >= 0x80 || is_space(c) || c == '}' || c == '[' || c == ']' || c == '\\')
      table[b] = ByteClass::blank;
    if (text::is_alpha(c) || c == '_' || c == '$') table[b] = ByteClass::word;
    if (is_digit(c)) table[b] = ByteClass::digit;
  }
  for (const char c : std::string_view("nNxXbBeE")) table[static_cast<unsigned char>(c)] = ByteClass::prefix_letter;
  for (const char c : std::string_view("(),;")) table[static_cast<unsigned char>(c)] = ByteClass::punctuation;
  table['{'] = ByteClass::open_brace;
  table['+'] = ByteClass::plus;
  table['\''] = ByteClass::quote;
  table['"'] = ByteClass::quote;
  table['`'] = ByteClass::backtick;
  table['.'] = ByteClass::dot;
  table[':'] = ByteClass::colon;
  table['@'] = ByteClass::at;
  table['-'] = ByteClass::dash;
  table['#'] = ByteClass::hash;
  table['/'] = ByteClass::slash;
  table['*'] = ByteClass::star;
  return table;
}();
// A byte a bareword continues with: a letter, a digit, '_' or '$'.
constexpr bool in_word(char c) noexcept {
  const ByteClass k = kByteClass[static_cast<unsigned char>(c)];
  return k == ByteClass::word || k == ByteClass::prefix_letter || k == ByteClass::digit;
}
static_assert([] {
  for (unsigned b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if (in_word(c) != (is_word(c) || c == '$')) return false;
  }
  return true;
}());

struct Token {
  char type;
  std::size_t pos;
  std::size_t len;
  bool arithmetic;  // an 'o' that folds "1 o 1" into "1"
};

// Tokenizes and folds in one pass, keeping at most kMaxFingerprint tokens.
class Fingerprinter {
 public:
  // `plus_is_blank`: the value comes from a body of unknown encoding, where '+' is most likely a
  // form-encoded blank the decoder could not know to turn into one ("'+waitfor+delay+'0:0:5'").
  Fingerprinter(std::string_view text, Context context, bool plus_is_blank = false) noexcept
      : s_(text), plus_is_blank_(plus_is_blank) {
    if (context == Context::none) return;
    const char q = context == Context::single_quote ? '\'' : context == Context::double_quote ? '"' : '`';
    // Continuing a MySQL `identifier`, the break-out and the identifiers after it are the literals.
    backtick_ = context == Context::backtick;
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
        text::find_any(literal, kCodeBytes) != std::string_view::npos) {
      applies_ = false;
      return;
    }
    spaced_literal_ = text::find_any(literal, kBlanks) != std::string_view::npos;
    emit({'s', 0, close + 1, false});
    i_ = close + 1;
  }

  bool applies() const noexcept { return applies_; }

  void run() noexcept {
    while (n_ < kMaxFingerprint && i_ < s_.size()) {
      step();
      // The blanks after a token, here rather than in a call to step() of their own.
      while (i_ < s_.size() && blank(s_[i_])) ++i_;
    }
  }

  std::string_view fingerprint() const noexcept { return {fp_.data(), n_}; }
  const Token& token(std::size_t k) const noexcept { return tokens_[k]; }
  std::string_view token_text(const Token& t) const noexcept { return s_.substr(t.pos, t.len); }

  // The value used vocabulary only SQL has: UNION, a dangerous or SQL-only function, a system
  // table, an @variable, a hex literal, a cast or a comment. Arithmetic and prose have none (and
  // "select", "delete" or "update" are English words too).
  bool sql_only() const noexcept { return sql_only_; }

  // The literal the value is read as continuing holds blanks: prose ("Moose module to default
  // \"is\" to ..."), where a break-out is usually a single token ("admin", "1", an email).
  bool spaced_literal() const noexcept { return spaced_literal_; }

  // The value ends in an unterminated literal of a few blank-free bytes: "x' or 'a", which the
  // application's own closing quote completes; prose ends in "... 'OR' operator returns true".
  bool prose_tail() const noexcept {
    if (n_ == 0 || fp_[n_ - 1] != 's') return false;
    const std::string_view t = token_text(tokens_[n_ - 1]);
    const bool closed = t.size() >= 2 && t.back() == t.front();
    return !closed && t.size() > 16 && text::find_any(t, kBlanks) != std::string_view::npos;
  }

  // The first comparison or logic operator in tokens (from, to) has the same text on both sides
  // ("1 or 1", "or a = a"), or "true" on its right ("1 or true"): a condition that is always true,
  // where "1 or 2" and "or a = b" are a choice in a sentence.
  bool same_operands(std::size_t from, std::size_t to) const noexcept {
    std::size_t k = from + 1;
    while (k < to && k + 1 < n_ && fp_[k] != 'o' && fp_[k] != '&') ++k;
    if (k >= to || k + 1 >= n_) return false;
    const std::string_view right = token_text(tokens_[k + 1]);
    return text::iequals(token_text(tokens_[k - 1]), right) || text::iequals(right, "true");
  }

  // The value ends in a comment without words: "--", "-- -", "--+", "#", "/*".
  bool bare_comment_tail() const noexcept {
    if (n_ == 0 || fp_[n_ - 1] != 'c') return false;
    const std::string_view t = token_text(tokens_[n_ - 1]);
    return std::none_of(t.begin(), t.end(), [](char c) { return text::is_alpha(c) || is_digit(c); });
  }

  bool short_tail() const noexcept {
    if (n_ == 0 || fp_[n_ - 1] != 's') return false;
    const std::string_view t = token_text(tokens_[n_ - 1]);
    const bool closed = t.size() >= 2 && t.back() == t.front();
    return !closed && t.size() <= 16 && text::find_any(t, kBlanksAndBreaks) == std::string_view::npos;
  }

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
      if (is_space(s_[at]) || (plus_is_blank_ && s_[at] == '+')) {
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
    // "not like", "is not", "sounds like": one comparison.
    if (t.type == 'l' && prev == 'l') {
      tokens_[n_ - 1].len = t.pos + t.len - tokens_[n_ - 1].pos;
      return;
    }
    // UNION ALL / UNION DISTINCT.
    if (prev == 'U' && t.type == 'n') {
      const auto w = s_.substr(t.pos, t.len);
      if (text::iequals(w, "all") || text::iequals(w, "distinct")) return;
    }
    if (t.type == 'U' || t.type == 'F' || t.type == 't' || t.type == 'v' || t.type == 'X') sql_only_ = true;
    tokens_[n_] = t;
    fp_[n_] = t.type;
    ++n_;
  }

  void step() noexcept {
    const char c = s_[i_];
    const std::size_t start = i_;
    switch (kByteClass[static_cast<unsigned char>(c)]) {
      case ByteClass::open_brace:
        // MySQL's ODBC escape "{identifier expr}" ignores the identifier: "1 or {if length(...)}" is
        // "1 or length(...)". Skip it when a blank separates it from the expression.
        if (i_ + 1 < s_.size() && text::is_alpha(s_[i_ + 1])) {
          std::size_t end = i_ + 1;
          while (end < s_.size() && is_word(s_[end])) ++end;
          if (end < s_.size() && is_space(s_[end])) {
            i_ = end;
            return;
          }
        }
        return skip_blanks();
      case ByteClass::blank:
        return skip_blanks();
      case ByteClass::plus:
        if (plus_is_blank_) return skip_blanks();
        return op();
      case ByteClass::quote:
        return string(c, start);
      case ByteClass::backtick: {
        if (backtick_) return string(c, start);
        // A MySQL quoted identifier: `information_schema` is still the system schema.
        const std::size_t end = s_.find('`', i_ + 1);
        i_ = end == std::string_view::npos ? s_.size() : end + 1;
        const std::size_t inner = end == std::string_view::npos ? s_.size() - start - 1 : end - start - 1;
        return emit({lookup(s_.substr(start + 1, inner)) == 't' ? 't' : 'n', start, i_ - start, false});
      }
      case ByteClass::prefix_letter:
        // N'unicode', X'41', B'01', E'escaped': one literal with its type prefix, so "N'a'=N'a"
        // compares two strings ("Youssou N'Dour" stays a name and a literal).
        if (i_ + 1 < s_.size() && s_[i_ + 1] == '\'' &&
            (i_ == 0 || (!is_word(s_[i_ - 1]) && s_[i_ - 1] != '\\' && s_[i_ - 1] != '\''))) {
          ++i_;
          return string('\'', start);
        }
        return word();
      case ByteClass::word:
        return word();
      case ByteClass::digit:
        return number();
      case ByteClass::dot:
        if (i_ + 1 < s_.size() && is_digit(s_[i_ + 1])) return number();
        ++i_;
        return emit({c, start, 1, false});
      case ByteClass::colon:
        ++i_;
        if (i_ < s_.size() && s_[i_] == ':') return cast(start);
        return emit({c, start, 1, false});
      case ByteClass::at:
        ++i_;
        if (i_ < s_.size() && s_[i_] == '@') ++i_;
        while (i_ < s_.size() && (is_word(s_[i_]) || s_[i_] == '.' || s_[i_] == '$')) ++i_;
        return emit({'v', start, i_ - start, false});
      case ByteClass::dash:
        if (i_ + 1 < s_.size() && s_[i_ + 1] == '-') return line_comment();
        return op();
      case ByteClass::hash:
        return line_comment();
      case ByteClass::slash:
        if (i_ + 1 < s_.size() && s_[i_ + 1] == '*') return block_comment();
        return op();
      case ByteClass::star:
        // The end of a /*!...*/ comment, or a stray "*/" left by a comment the value opened earlier
        // ("SeLect*/ 1,2"): a blank either way.
        if (i_ + 1 < s_.size() && s_[i_ + 1] == '/') {
          in_exec_comment_ = false;
          i_ += 2;
          return;
        }
        return op();
      case ByteClass::punctuation:
        ++i_;
        return emit({c, start, 1, false});
      case ByteClass::other:
        break;
    }
    return op();
  }

  // A byte that changes nothing between tokens.
  bool blank(char c) const noexcept {
    const ByteClass k = kByteClass[static_cast<unsigned char>(c)];
    return k == ByteClass::blank || (plus_is_blank_ && k == ByteClass::plus);
  }

  // Past this blank and the ones after it.
  void skip_blanks() noexcept {
    ++i_;
    while (i_ < s_.size() && blank(s_[i_])) ++i_;
  }

  // PostgreSQL's "::type": casting a column or a query to int or json is how error-based
  // injections make the database print data ("password::int", "(select ...)::jsonb"). Only SQL
  // type names count: "std::string" and "fe80::1" are C++ and IPv6.
  void cast(std::size_t start) noexcept {
    static constexpr std::string_view kTypes[] = {"bigint", "bool", "boolean", "bytea", "char", "date", "decimal",
                                                  "double", "float", "inet", "int", "int4", "int8", "integer",
                                                  "interval", "json", "jsonb", "money", "numeric", "oid", "real",
                                                  "regclass", "smallint", "text", "timestamp", "uuid", "varchar", "xml"};
    ++i_;
    std::size_t end = i_;
    while (end < s_.size() && is_word(s_[end])) ++end;
    const std::string_view type = s_.substr(i_, end - i_);
    for (const std::string_view t : kTypes) {
      if (text::iequals(type, t)) {
        i_ = end;
        return emit({'X', start, i_ - start, false});
      }
    }
    emit({'o', start, 2, false});
  }

  // A literal from `start` (its prefix letter, if any) to the quote that closes the one at i_.
  void string(char q, std::size_t start) noexcept {
    ++i_;
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
      sql_only_ = sql_only_ || i_ - start > 3;  // 0x7e: how injections spell strings without quotes
    } else {
      while (i_ < s_.size() && (is_digit(s_[i_]) || s_[i_] == '.')) ++i_;
      if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E') && i_ + 1 < s_.size() &&
          (is_digit(s_[i_ + 1]) || s_[i_ + 1] == '-' || s_[i_ + 1] == '+')) {
        i_ += 2;
        while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
      }
    }
    // MySQL ends a number with a fraction or an exponent where a letter follows, so "1.0union" and
    // "1e0union" read as a number and a keyword; "1.5kg" stays a word.
    const std::string_view number = s_.substr(start, i_ - start);
    if (i_ < s_.size() && text::is_alpha(s_[i_]) && number.find_first_of(".eE") != std::string_view::npos) {
      std::size_t end = i_;
      while (end < s_.size() && is_word(s_[end])) ++end;
      const char next = lookup(s_.substr(i_, end - i_));
      if (next == 'U' || next == 'E' || next == '&' || next == 'B' || next == 'l') return emit({'1', start, i_ - start, false});
    }
    // "2nd", "3px", "1a2b": a word that starts with digits.
    if (i_ < s_.size() && (is_word(s_[i_]) || s_[i_] == '$')) {
      while (i_ < s_.size() && is_word(s_[i_])) ++i_;
      return emit({'n', start, i_ - start, false});
    }
    emit({'1', start, i_ - start, false});
  }

  // "xp_cmdshell", "sp_executesql": an MSSQL extended or system procedure (the third byte first:
  // most words fail there).
  static bool mssql_procedure(std::string_view name) noexcept {
    return name.size() >= 3 && name[2] == '_' && (text::istarts_with(name, "xp_") || text::istarts_with(name, "sp_"));
  }

  void word() noexcept {
    const std::size_t start = i_;
    // The word's first and last dots ("master.dbo.xp_dirtree"), noted on the way through it.
    std::size_t first_dot = std::string_view::npos, last_dot = std::string_view::npos;
    while (i_ < s_.size()) {
      if (in_word(s_[i_])) {
        ++i_;
      } else if (s_[i_] == '.' && i_ + 1 < s_.size() && (is_word(s_[i_ + 1]) || s_[i_ + 1] == '.')) {
        if (first_dot == std::string_view::npos) first_dot = i_ - start;
        last_dot = i_ - start;
        ++i_;
      } else {
        break;
      }
    }
    const std::string_view w = s_.substr(start, i_ - start);
    char type = lookup(w);
    // Most words: none of kWords, so none of the tests below applies.
    if (type == 0 && first_dot == std::string_view::npos && !mssql_procedure(w))
      return emit({'n', start, w.size(), false});
    const std::string_view last = last_dot == std::string_view::npos ? w : w.substr(last_dot + 1);
    // "time.sleep(5)" is a method call in some other language, not SQL.
    const bool member = start > 0 && s_[start - 1] == '.';
    if (type == 0) {
      // "master.dbo.xp_dirtree" is the procedure, not the schema it lives in.
      if (mssql_procedure(last)) {
        type = 'F';
      } else if (first_dot != std::string_view::npos && lookup(w.substr(0, first_dot)) == 't') {
        type = 't';
      } else {
        type = 'n';
      }
    }
    if (type == 'f' || type == 'g' || type == 'F') {
      const std::size_t next = skip_blank(i_);
      const bool call = !member && next < s_.size() && s_[next] == '(';
      // MSSQL procedures are called without parentheses: "exec xp_cmdshell 'dir'".
      const bool procedure = mssql_procedure(last);
      if (type == 'g' && call) sql_only_ = true;
      if (type == 'g') type = 'f';
      // "pg_sleep", "load_file": a dangerous name with an underscore is no English word, called
      // or not ("select pg_sleep").
      const bool named = type == 'F' && w.find('_') != std::string_view::npos;
      if (!call && !procedure && !named) type = 'n';
    }
    // INTO OUTFILE / INTO DUMPFILE writes a file on the database host, PROCEDURE ANALYSE runs its
    // arguments in MySQL's error path, and PostgreSQL's COPY ... TO/FROM PROGRAM runs a shell
    // command: as dangerous as a call.
    if (text::iequals(w, "into") || text::iequals(w, "procedure") || text::iequals(w, "to") || text::iequals(w, "from")) {
      const std::size_t next = skip_blank(i_);
      std::size_t end = next;
      while (end < s_.size() && is_word(s_[end])) ++end;
      const std::string_view target = s_.substr(next, end - next);
      const bool program = text::iequals(target, "program") && skip_blank(end) < s_.size() &&
                           (s_[skip_blank(end)] == '\'' || s_[skip_blank(end)] == '$') &&
                           text::icontains_word(s_.substr(0, start), "copy");
      if (program || text::iequals(target, "outfile") || text::iequals(target, "dumpfile") ||
          text::iequals(target, "analyse")) {
        i_ = end;
        return emit({'F', start, i_ - start, false});
      }
    }
    if (type == 'E' && member) type = 'n';
    // DROP DATABASE / CREATE SCHEMA: the object kind, as TABLE is.
    if (n_ > 0 && fp_[n_ - 1] == 'E' && (text::iequals(w, "database") || text::iequals(w, "schema"))) type = 'k';
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
    // "--" comments out the rest of a query; '#' also numbers issues in prose ("Closes: #123").
    sql_only_ = sql_only_ || s_[start] == '-';
    if (nl == std::string_view::npos || only_space_from(i_)) emit({'c', start, s_.size() - start, false});
  }

  void block_comment() noexcept {
    const std::size_t start = i_;
    sql_only_ = true;
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
    // A '+' glued to a clause or logic keyword ("x'+OR+1=1--", "1+UNION+SELECT") is a form-encoded
    // blank that reached us literally (a cookie, a JSON string): no SQL adds a number to OR.
    if (s_[i_] == '+' && i_ + 1 < s_.size() && text::is_alpha(s_[i_ + 1])) {
      std::size_t end = i_ + 1;
      while (end < s_.size() && is_word(s_[end])) ++end;
      const char next = lookup(s_.substr(i_ + 1, end - i_ - 1));
      if (next == '&' || next == 'U' || next == 'E' || next == 'l') {
        ++i_;
        return;
      }
    }
    // The bytes long operators start and continue with: most operator bytes ('/', '+', '*') start
    // none, and most that do ('=', '!', '?') are followed by a byte none continues with.
    static constexpr auto kLongBytes = [] {
      std::array<std::array<bool, 256>, 2> bytes{};
      for (const std::string_view l : kLong) {
        bytes[0][static_cast<unsigned char>(l[0])] = true;
        bytes[1][static_cast<unsigned char>(l[1])] = true;
      }
      return bytes;
    }();
    if (i_ + 1 < s_.size() && kLongBytes[0][static_cast<unsigned char>(s_[i_])] &&
        kLongBytes[1][static_cast<unsigned char>(s_[i_ + 1])]) {
      for (auto l : kLong) {
        if (s_[i_] == l[0] && s_[i_ + 1] == l[1] && (l.size() == 2 || (i_ + 2 < s_.size() && s_[i_ + 2] == l[2]))) {
          i_ += l.size();
          const bool logic = l == "||" || l == "&&";
          return emit({logic ? '&' : 'o', start, l.size(), false});
        }
      }
    }
    const char c = s_[i_++];
    // A question mark ends a sentence; between two literals it is PostgreSQL's JSON key test
    // ("'{\"a\":1}' ? 'a'").
    if (c == '?') {
      const std::size_t next = skip_blank(i_);
      const bool json_key_test = n_ > 0 && fp_[n_ - 1] == 's' && next < s_.size() && (s_[next] == '\'' || s_[next] == '"');
      if (!json_key_test) return;
    }
    const bool arith = c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '^' || c == '|' || c == '&';
    emit({'o', start, 1, arith});
  }

  std::string_view s_;
  bool plus_is_blank_;
  std::size_t i_ = 0;
  bool applies_ = true;
  bool in_exec_comment_ = false;
  bool backtick_ = false;
  bool sql_only_ = false;
  bool spaced_literal_ = false;
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

// Shapes as a bit set indexed by their place in kShapes: walking the set bits visits them in
// table order.
constexpr std::size_t kShapeWords = (std::size(kShapes) + 63) / 64;
using ShapeSet = std::array<std::uint64_t, kShapeWords>;

// An anchored shape ("^s&so") only applies where the fingerprint starts with its first token.
// Keys: 0 for unanchored shapes, else the first token.
constexpr unsigned shape_key(std::string_view pattern) noexcept {
  return pattern.size() > 1 && pattern[0] == '^' && pattern[1] != '.' ? static_cast<unsigned char>(pattern[1]) & 127U
                                                                        : 0U;
}
// Per first token, the shapes that apply: the unanchored ones and that token's anchored group.
constexpr auto kShapesByFirst = [] {
  std::array<ShapeSet, 128> sets{};
  for (std::size_t k = 0; k < std::size(kShapes); ++k) {
    const unsigned key = shape_key(kShapes[k].pattern);
    for (std::size_t first = 0; first < sets.size(); ++first) {
      if (key == 0 || key == first) sets[first][k / 64] |= std::uint64_t{1} << (k % 64);
    }
  }
  return sets;
}();
// Per token type, the shapes whose pattern holds it ('.' is any token, so it requires none). A
// shape can only match a fingerprint holding all its types: taking out the shapes of every type a
// fingerprint lacks leaves a handful for most values, which is most of the detector's cost on
// benign text.
constexpr auto kShapesNeeding = [] {
  std::array<ShapeSet, 128> sets{};
  for (std::size_t k = 0; k < std::size(kShapes); ++k) {
    for (const char c : kShapes[k].pattern) {
      if (c != '^' && c != '$' && c != '.') sets[static_cast<unsigned char>(c) & 127U][k / 64] |= std::uint64_t{1} << (k % 64);
    }
  }
  return sets;
}();
// The token types some shape needs, each with a number, its bit in a TypeMask: only their absence
// takes shapes out.
using TypeMask = std::uint32_t;
struct TypeNumbers {
  std::array<TypeMask, 128> bit{};  // per token type; 0 for the types no shape needs
  std::size_t count = 0;
};
constexpr TypeNumbers kNeededTypes = [] {
  TypeNumbers numbers;
  for (std::size_t type = 0; type < kShapesNeeding.size(); ++type) {
    bool needed = false;
    for (const std::uint64_t word : kShapesNeeding[type]) needed = needed || word != 0;
    if (needed) numbers.bit[type] = TypeMask{1} << numbers.count++;
  }
  return numbers;
}();
static_assert(kNeededTypes.count <= 32, "a TypeMask holds every needed type");
// The shapes needing any type of a set, for the sets within each group of four type numbers:
// taking out the shapes of every type a fingerprint lacks is one lookup per group.
constexpr std::size_t kTypeGroups = (kNeededTypes.count + 3) / 4;
constexpr auto kShapesNeedingAny = [] {
  std::array<std::array<ShapeSet, 16>, kTypeGroups> sets{};
  for (std::size_t type = 0; type < kShapesNeeding.size(); ++type) {
    if (kNeededTypes.bit[type] == 0) continue;
    const auto number = static_cast<unsigned>(std::countr_zero(kNeededTypes.bit[type]));
    for (unsigned subset = 0; subset < 16; ++subset) {
      if ((subset & (1U << (number % 4))) == 0) continue;
      for (std::size_t w = 0; w < kShapeWords; ++w) sets[number / 4][subset][w] |= kShapesNeeding[type][w];
    }
  }
  return sets;
}();

// Calls `try_shape(k)` for every shape that may match `fp` (its first token and its token types
// allow it), in table order.
template <typename F>
void for_candidate_shapes(std::string_view fp, F&& try_shape) noexcept {
  TypeMask present = 0;
  for (const char c : fp) present |= kNeededTypes.bit[static_cast<unsigned char>(c) & 127U];
  const TypeMask absent = ~present;
  ShapeSet candidates = kShapesByFirst[static_cast<unsigned char>(fp.front()) & 127U];
  for (std::size_t group = 0; group < kTypeGroups; ++group) {
    const ShapeSet& out = kShapesNeedingAny[group][(absent >> (4 * group)) & 15U];
    for (std::size_t w = 0; w < kShapeWords; ++w) candidates[w] &= ~out[w];
  }
  for (std::size_t w = 0; w < kShapeWords; ++w) {
    for (std::uint64_t bits = candidates[w]; bits != 0; bits &= bits - 1)
      try_shape(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
  }
}

// Blanks and comments between SQL keywords, including the opener of a MySQL /*!50000 ...*/ comment.
std::size_t skip_sql_blank(std::string_view s, std::size_t at) noexcept {
  while (at < s.size()) {
    if (is_space(s[at]) || s[at] == '(' || s[at] == '+') {
      ++at;
    } else if (s.compare(at, 3, "/*!") == 0) {
      at += 3;
      while (at < s.size() && is_digit(s[at])) ++at;
    } else if (s.compare(at, 2, "/*") == 0) {
      const std::size_t end = s.find("*/", at + 2);
      if (end == std::string_view::npos) return s.size();
      at = end + 2;
    } else if (s.compare(at, 2, "*/") == 0) {
      at += 2;
    } else {
      break;
    }
  }
  return at;
}

std::size_t keyword_at(std::string_view s, std::size_t at, std::string_view word) noexcept {
  if (!text::istarts_with(s.substr(at), word)) return std::string_view::npos;
  const std::size_t end = at + word.size();
  return end < s.size() && is_word(s[end]) ? std::string_view::npos : end;
}

// "UNION [ALL|DISTINCT] SELECT" as words, wherever the tokenizer put them: quotes the value opens
// and never closes ("x\"}' and ... union select ...") can hide them inside a literal.
std::size_t union_select(std::string_view s) noexcept {
  for (std::size_t at = text::ifind(s, "union"); at != std::string_view::npos; at = text::ifind(s, "union", at + 5)) {
    if (at > 0 && is_word(s[at - 1])) continue;
    std::size_t next = skip_sql_blank(s, at + 5);
    if (next == at + 5 && next < s.size() && is_word(s[next])) continue;
    for (std::string_view quantifier : {"all", "distinct"}) {
      if (const std::size_t end = keyword_at(s, next, quantifier); end != std::string_view::npos) {
        next = skip_sql_blank(s, end);
        break;
      }
    }
    if (keyword_at(s, next, "select") != std::string_view::npos) return at;
  }
  return std::string_view::npos;
}

// MySQL reads "1.e" as a number that may touch the next token: "1.e(ascii 1.e(substring(1.e(select"
// calls functions and opens subqueries where filters expect a blank or a word boundary. An outline
// number ("clause 1.e(ii)") is followed by no SQL word.
std::size_t scientific_glue(std::string_view s) noexcept {
  for (std::size_t at = text::ifind(s, ".e("); at != std::string_view::npos; at = text::ifind(s, ".e(", at + 3)) {
    if (at == 0 || !is_digit(s[at - 1])) continue;
    std::size_t b = at + 3;
    while (b < s.size() && (s[b] == '(' || is_space(s[b]))) ++b;
    std::size_t e = b;
    while (e < s.size() && is_word(s[e])) ++e;
    const char type = lookup(s.substr(b, e - b));
    if (type == 'g' || type == 'F' || type == 'E' || type == 'U') {
      std::size_t digits = at;
      while (digits > 0 && is_digit(s[digits - 1])) --digits;
      return digits;
    }
  }
  return std::string_view::npos;
}

// A value that is only a system catalog ("information_schema", "pg_catalog.pg_tables", "mysql.user"):
// the name an injection probes to list tables, which no ordinary field holds on its own. (Names
// that are also words or UI labels, "mysql", "master", "user_tables", are left out; a plain name
// without a member never gets here, the engine's prefilter passes it.)
bool system_catalog(std::string_view s) noexcept {
  static constexpr std::string_view kCatalogs[] = {"information_schema", "pg_catalog", "pg_shadow", "pg_user",
                                                   "sqlite_master", "msysaccessobjects", "sysobjects", "syscolumns",
                                                   "mysql.user", "mysql.db"};
  static constexpr auto kFirstLetters = [] {
    std::array<bool, 256> letters{};
    for (const std::string_view name : kCatalogs) letters[static_cast<unsigned char>(name[0])] = true;
    return letters;
  }();
  const std::size_t first = s.find_first_not_of(" \t\r\n");
  // Most values start with a letter no catalog name does.
  if (first == std::string_view::npos || !kFirstLetters[static_cast<unsigned char>(lower(s[first]))]) return false;
  const std::string_view v = s.substr(first, s.find_last_not_of(" \t\r\n") + 1 - first);
  for (const std::string_view name : kCatalogs) {
    if (!text::istarts_with(v, name)) continue;
    const std::string_view rest = v.substr(name.size());
    // Alone or with a member: "information_schema.tables", "pg_catalog.pg_user".
    if (rest.empty() || (rest.size() > 1 && rest[0] == '.' && std::all_of(rest.begin() + 1, rest.end(), is_word)))
      return true;
  }
  return false;
}

// A run of three barewords is prose ("sleep(5) is not a good way to wait"), and so is a value that
// opens with two ("I think 3 < 5 and 10 > 7"): an injection starts where the application's value
// ends, right after one word at most. There, a shape found in the middle of the value counts only
// when it is certain of a rewritten query (score 90 and up).
// Shapes anchored at the start have their own guards (the literal a break-out must follow).
constexpr int kProseMinScore = 90;
// After a literal with blanks in it (see Fingerprinter::spaced_literal), plausible shapes do not count.
constexpr int kSpacedLiteralMinScore = 85;

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
    // A value without a quote has no literal to break out of: one search each decides it, for the
    // quote contexts and for UNION SELECT hidden in a literal.
    // (The engine's byte set rules a quote out without a search, for most values.)
    const ByteSet bytes = text::bytes_of(value);
    const auto holds = [&](char c) { return bytes.contains(c) && s.find(c) != std::string_view::npos; };
    const bool single = holds('\'');
    const bool dbl = holds('"');
    const bool tick = holds('`');
    for (Context context : {Context::none, Context::single_quote, Context::double_quote, Context::backtick}) {
      if ((context == Context::single_quote && !single) || (context == Context::double_quote && !dbl) ||
          (context == Context::backtick && !tick))
        continue;
      Fingerprinter f(s, context, value.kind == LocationKind::body_text);
      if (!f.applies()) continue;
      f.run();
      const std::string_view fp = f.fingerprint();
      if (fp.empty()) continue;
      const bool prose = fp.find("nnn") != std::string_view::npos || fp.starts_with("nn");
      for_candidate_shapes(fp, [&](std::size_t k) {
        const Shape& shape = kShapes[k];
        if ((shape.flags & kQuoteOnly) != 0 && context == Context::none) return;
        if (best != nullptr && shape.score <= best->score) return;
        if (prose && shape.score < kProseMinScore && shape.pattern.front() != '^') return;
        if (f.spaced_literal() && shape.score < kSpacedLiteralMinScore) return;
        if ((shape.flags & kSqlOnly) != 0 && !f.sql_only()) return;
        if ((shape.flags & kShortTail) != 0 && !f.short_tail()) return;
        if ((shape.flags & kNoProseTail) != 0 && f.prose_tail()) return;
        if ((shape.flags & kCommentTail) != 0 && !f.bare_comment_tail()) return;
        const std::size_t at = match(fp, shape.pattern);
        if (at == std::string_view::npos) return;
        const std::size_t len = shape.pattern.size() - (shape.pattern.front() == '^') - (shape.pattern.back() == '$');
        if ((shape.flags & kSameOperands) != 0 && !f.sql_only() && !f.same_operands(at, at + len)) return;
        if ((shape.flags & kNoWordAfter) != 0 && at + len < fp.size() && fp[at + len] == 'n') return;
        if ((shape.flags & kSystemVariable) != 0) {
          const std::size_t v = fp.find('v', at);
          const bool declared = text::iequals(f.token_text(f.token(at)), "declare");
          if (v == std::string_view::npos || (!declared && !f.token_text(f.token(v)).starts_with("@@"))) return;
        }
        const Token& first = f.token(at);
        const Token& last = f.token(std::min(at + len, fp.size()) - 1);
        best = &shape;
        best_from = first.pos;
        best_to = last.pos + last.len;
        best_fp_len = fp.size();
        std::copy(fp.begin(), fp.end(), best_fp.begin());
      });
    }
    // Only a quote can hide UNION SELECT from the tokenizer; prose without one skips the search.
    if ((best == nullptr || best->score < 90) && (single || dbl)) {
      if (const std::size_t at = union_select(s); at != std::string_view::npos) {
        text::report(out, AttackClass::sqli, value, s, at, 64, 90, "UNION SELECT");
        return;
      }
    }
    if ((best == nullptr || best->score < 85) && bytes.contains('(')) {
      if (const std::size_t at = scientific_glue(s); at != std::string_view::npos) {
        text::report(out, AttackClass::sqli, value, s, at, 64, 85, "function glued to a 1.e number");
        return;
      }
    }
    if (best == nullptr && s.size() <= 64 && system_catalog(s)) {
      text::report(out, AttackClass::sqli, value, s, 0, s.size(), 70, "system catalog name");
      return;
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
