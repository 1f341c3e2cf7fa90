#include "postanalytics/path_glob.hpp"

#include <doctest/doctest.h>

using namespace waf::postanalytics;

TEST_CASE("path glob: '*' spans segments, '?' one character, case matters") {
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
  for (const auto& c : cases) CHECK_MESSAGE(path_glob_match(c.glob, c.path) == c.match, c.glob, " vs ", c.path);
}
