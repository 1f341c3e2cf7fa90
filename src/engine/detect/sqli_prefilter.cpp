#include "engine/detect/sqli_prefilter.hpp"

#include <algorithm>

namespace waf::engine {
namespace {

// An injection changes a query's shape: it closes a literal (a quote), adds an operator, a call or
// a group (punctuation), comments the rest out ('#', "--", "/*"), or adds a clause or a condition
// (a keyword). A list of names and numbers separated by blanks, ',', '.' or '_' does none of that,
// so every other ASCII punctuation byte admits a value, and so do control and non-ASCII bytes
// (blank look-alikes that a tokenizer may skip). Except '/' and '!', common in paths and prose:
// a comment needs '*' as well, and "!=" an '='; a division or a negation alone changes no query.
constexpr std::string_view kBytes = "\"#$%&'()*+-:;<=>?@[\\]^`{|}~";

// Keywords that make a token other than a name in SQL: statements, clauses, logic and word
// operators, literals and system tables, in the dialects the detector knows and a few more.
// Function names are absent, since a call needs '(' (one of the bytes above), except the
// dangerous ones that a tokenizer may count on their own (sleep, benchmark, load_file ...); MSSQL
// procedures, called without '(', are the needles "xp_" and "sp_". Sorted, to read and to keep free of duplicates.
constexpr std::string_view kWords[] = {
    "all_tables", "alter", "and", "as", "asc", "begin", "benchmark", "between", "case", "collate", "commit",
    "create", "ctxsys", "dbms_lock", "dbms_pipe", "declare", "delay", "delete", "desc", "distinct", "div",
    "drithsx", "drop", "dual", "dumpfile", "else", "end", "except", "exec", "execute", "extractvalue",
    "false", "fetch", "from", "function", "get_host_address", "glob", "grant", "group", "having", "ilike",
    "in", "information_schema", "insert", "intersect", "into", "is", "join", "like", "limit", "lo_export",
    "lo_get", "lo_import", "load_extension", "load_file", "master", "merge", "minus", "mod",
    "msysaccessobjects", "mysql", "not", "notnull", "null", "offset", "or", "order", "outfile", "pg_catalog",
    "pg_read_file", "pg_shadow", "pg_sleep", "pg_user", "procedure", "randomblob", "receive_message",
    "regexp", "rename", "returning", "revoke", "rlike", "rollback", "rownum", "select", "set", "shutdown",
    "sleep", "sounds", "sqlite_master", "sys", "sys_eval", "sys_exec", "syscolumns", "sysobjects", "table",
    "then", "top", "trigger", "true", "truncate", "union", "update", "updatexml", "user_tables", "using",
    "utl_http", "utl_inaddr", "values", "waitfor", "when", "where", "xor",
};
static_assert(std::is_sorted(std::begin(kWords), std::end(kWords)) &&
                  std::adjacent_find(std::begin(kWords), std::end(kWords)) == std::end(kWords),
              "kWords must stay sorted, without duplicates");
constexpr auto kWordTable = make_word_table<256>(kWords);
static_assert(std::size(kWords) < kWordTable.size() / 2, "the word table needs free slots");

constexpr std::string_view kNeedles[] = {"xp_", "sp_"};

constexpr Prefilter kSqli = with_words(any_of(kBytes, kNeedles), kWordTable);

}  // namespace

const Prefilter& sqli_prefilter() noexcept { return kSqli; }

}  // namespace waf::engine
