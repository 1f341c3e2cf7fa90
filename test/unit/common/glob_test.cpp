#include "common/glob.hpp"

#include <doctest/doctest.h>

using namespace waf;

TEST_CASE("glob: '*' spans segments, '?' one character, case matters by default") {
  struct Case {
    const char *glob, *path;
    bool match;
  };
  const Case cases[] = {
      {"/api/*", "/api/users/1", true},   {"/api/*", "/api/", true},         {"/api/*", "/apix", false},
      {"*login*", "/account/login", true}, {"*login*", "/Account/LogIn", false}, {"/a?c", "/abc", true},
      {"/a?c", "/ac", false},              {"*", "", true},                   {"", "", true},
      {"", "/", false},                     {"/x/*/y", "/x/1/2/y", true},       {"/x/*/y", "/x/1/2/z", false},
      {"*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},      {"/exact", "/exact", true},
  };
  for (const auto& c : cases) CHECK_MESSAGE(glob_match(c.glob, c.path) == c.match, c.glob, " vs ", c.path);
}

TEST_CASE("glob: ASCII case folding for login paths") {
  struct Case {
    const char* glob;
    const char* text;
    bool match;
  };
  const Case cases[] = {
      {"*login*", "/login", true},         {"*login*", "/Account/LogIn", true}, {"*login*", "/logout", false},
      {"/api/*", "/api/v1/users", true},   {"/api/*", "/apix", false},          {"/a?c", "/abc", true},
      {"/a?c", "/ac", false},              {"*", "", true},                     {"", "", true},
      {"", "/", false},                    {"*a*b*c*", "xaxbxcx", true},        {"*a*b*c*", "xaxcxbx", false},
      {"*token", "/oauth/token", true},    {"*token", "/oauth/tokens", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.glob);
    CAPTURE(c.text);
    CHECK(glob_match(c.glob, c.text, GlobCase::ascii_insensitive) == c.match);
  }
}
