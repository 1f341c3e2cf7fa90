// The SQL tokenizer's fingerprints (sqli.hpp): what each token kind and folding rule makes of a
// value, read as-is and as the continuation of a literal. Whole-value verdicts are in
// testdata/sqli.{attacks,benign}.txt (detector_table_test.cpp); these pin the stage under them,
// so that a shape change and a tokenizer change fail in different places.
#include <doctest/doctest.h>

#include <string>

#include "engine/detect/sqli.hpp"

namespace {

using waf::engine::sqli::Context;
using waf::engine::sqli::fingerprint;

TEST_CASE("sqli tokenizer: literals, numbers, operators and comments") {
  CHECK(fingerprint("1 or 1=1--", Context::none) == "1&1o1c");
  CHECK(fingerprint("x' or 'a'='a", Context::single_quote) == "s&sos");
  CHECK(fingerprint("x\" or 1=1#", Context::double_quote) == "s&1o1c");
  // Arithmetic between values folds into one value; a unary sign disappears.
  CHECK(fingerprint("-1 or 3-2=1", Context::none) == "1&1o1");
  // Hex literals are numbers; "||" and "&&" are logic operators.
  CHECK(fingerprint("0x7e || 1", Context::none) == "1&1");
  // A comment in the middle is a blank; one at the end cuts the query off.
  CHECK(fingerprint("1/**/or/**/1=1/*", Context::none) == "1&1o1c");
}

TEST_CASE("sqli tokenizer: MySQL, MSSQL and PostgreSQL syntax") {
  // /*!50000 ... */ runs its content.
  CHECK(fingerprint("1 /*!50000union*/ /*!50000select*/ 1", Context::none) == "1UE1");
  CHECK(fingerprint("-1 union all select @@version", Context::none) == "1UEv");
  CHECK(fingerprint("1;waitfor delay '0:0:5'--", Context::none) == "1;Fsc");
  CHECK(fingerprint("1 and 1=(select version())::int", Context::none) == "1&1o(Ef()X");  // "))" folds into one
  // A C++ scope or an IPv6 address is no cast.
  CHECK(fingerprint("std::string", Context::none) == "non");
  CHECK(fingerprint("x' into outfile '/tmp/x", Context::single_quote) == "sFs");
}

TEST_CASE("sqli tokenizer: PROCEDURE ANALYSE and COPY ... PROGRAM are dangerous calls") {
  CHECK(fingerprint("1 procedure analyse()", Context::none) == "1F()");
  CHECK(fingerprint("x'; copy t to program 'id'--", Context::single_quote) == "s;nnFsc");
  CHECK(fingerprint("copy x from program 'id'", Context::none) == "nnFs");
  // Without COPY, or without a command, it is prose.
  CHECK(fingerprint("imported from program 'Excel'", Context::none) == "nkns");
  CHECK(fingerprint("copy from program managers", Context::none) == "nknn");
  // Without ANALYSE it is the keyword.
  CHECK(fingerprint("procedure x", Context::none) == "kn");
}

// Barewords that only mean something in context: the words the tokenizer skips as plain must
// still be read this way (kWords lists them, in any case).
TEST_CASE("sqli tokenizer: words read in context") {
  CHECK(fingerprint("1 ORDER BY 3--", Context::none) == "1B1c");
  CHECK(fingerprint("1 group by x", Context::none) == "1Bn");
  CHECK(fingerprint("order form", Context::none) == "nn");
  CHECK(fingerprint("drop schema x", Context::none) == "Ekn");
  CHECK(fingerprint("schema x", Context::none) == "nn");
  CHECK(fingerprint("7 div 2 = 3", Context::none) == "1o1");
  CHECK(fingerprint("exec master.dbo.xp_dirtree '//x'", Context::none) == "EFs");
  CHECK(fingerprint("sys.objects", Context::none) == "t");
  CHECK(fingerprint("a.b.c", Context::none) == "n");
}

TEST_CASE("sqli tokenizer: a number with a fraction or an exponent ends before a keyword") {
  CHECK(fingerprint("1.0union select 1", Context::none) == "1UE1");
  CHECK(fingerprint("1e0union select 1", Context::none) == "1UE1");
  // A unit after a decimal, or letters after an integer, stay one word.
  CHECK(fingerprint("1.5kg", Context::none) == "n");
  CHECK(fingerprint("1union", Context::none) == "n");
}

TEST_CASE("sqli tokenizer: MySQL's ODBC escape ignores its identifier") {
  CHECK(fingerprint("9 or {if length(user)>0}", Context::none) == "1&f(n)o1");
  // A template placeholder keeps its name.
  CHECK(fingerprint("{name} or {x}", Context::none) == "n&n");
}

TEST_CASE("sqli tokenizer: a literal '+' before a keyword is a form-encoded blank") {
  CHECK(fingerprint("x'+OR+1=1--", Context::single_quote) == "s&1o1c");
  CHECK(fingerprint("1+UNION+SELECT+1", Context::none) == "1UE1");
  // Before a number or a name it adds.
  CHECK(fingerprint("1+1", Context::none) == "1");
  CHECK(fingerprint("a+b", Context::none) == "non");
}

TEST_CASE("sqli tokenizer: a type prefix belongs to its literal") {
  CHECK(fingerprint("x' or N'a'=N'a", Context::single_quote) == "s&sos");
  CHECK(fingerprint("1 or X'31'=x'31'", Context::none) == "1&sos");
  CHECK(fingerprint("Youssou N'Dour", Context::none) == "ns");
  // Inside a word the letter is part of the word ("AN'..."), and after a backslash it is an escape ("\\n'").
  CHECK(fingerprint("AN'x'", Context::none) == "ns");
  CHECK(fingerprint("x' \\n'", Context::single_quote) == "sns");
}

TEST_CASE("sqli tokenizer: a literal context applies only to a short, code-free prefix") {
  CHECK(fingerprint("admin'--", Context::single_quote) == "sc");
  CHECK(fingerprint("no quote here", Context::single_quote).empty());
  CHECK(fingerprint("if (x == '<') return", Context::single_quote).empty());
}

}  // namespace
