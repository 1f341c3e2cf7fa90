#pragma once
// Log4Shell / JNDI lookups: "${jndi:ldap://...}" after resolving the nested lookups attackers use
// to hide the word: ${lower:j}, ${upper:N}, ${::-d}, ${env:X:-i}, ${date:'j'}, ${sys:x:-...}.
// The resolver is bounded in depth and output; anything that resolves to a jndi: lookup with a
// network protocol (ldap, ldaps, rmi, dns, iiop, corba, nds, nis, http) is reported.
#include <memory>

#include "engine/detect/detector.hpp"

namespace waf::engine {

std::unique_ptr<Detector> make_jndi();

}  // namespace waf::engine
