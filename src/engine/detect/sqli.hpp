#pragma once
// SQL injection: a SQL tokenizer turns the value into token types, folding removes what does not
// change the query's shape (unary signs, arithmetic, inline comments), and the resulting fingerprint
// is matched against a table of injection shapes (kShapes in sqli.cpp), libinjection-style.
// The value is tokenized up to four times: as-is, and as if it continued a '...' or "..." literal or
// a MySQL `identifier`, since an injected value usually starts inside the application's string. Shapes that prose, arithmetic
// or code can also take carry guards (SQL-only vocabulary, a blank-free literal before the
// break-out, no run of barewords), which is what keeps "max(3, 5)" and "the 'OR' operator" clean.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "engine/detect/detector.hpp"

namespace waf::engine {

namespace sqli {
// Token types, one character each so fingerprints read like "s&sos":
//   s string  1 number/NULL  n bareword  v @variable  k keyword  E statement (SELECT, DROP ...)
//   U UNION   B ORDER BY/GROUP BY/HAVING/LIMIT  & AND/OR/XOR/&&/||  o operator  l word operator
//   f function  F dangerous function (sleep, benchmark, load_file ...)  t system table
//   c trailing comment  ( ) , ; .
inline constexpr std::size_t kMaxFingerprint = 48;
enum class Context { none, single_quote, double_quote, backtick };
// The folded fingerprint of `text` read in `context`; empty when the context does not apply.
std::string fingerprint(std::string_view text, Context context);
}  // namespace sqli

std::unique_ptr<Detector> make_sqli();

}  // namespace waf::engine
