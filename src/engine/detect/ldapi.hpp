#pragma once
// LDAP filter injection: a value that closes the application's filter and opens new ones
// ("*)(uid=*", "admin)(|(password=*))", ")(&", ")(!(") per the RFC 4515 filter grammar:
// ')' then '(' then an operator (&, |, !) or an attribute with a comparison (=, ~=, >=, <=).
// Parenthesised prose ("(a)(b)", "f(x)(y)") has no filter operator or comparison.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_ldapi();

}  // namespace waf::engine
