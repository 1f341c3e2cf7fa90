// The policy exception for one finding (src/engine/policy/policy_file.hpp, "exceptions"): this
// class is let through at this location on this path. The path is the event's own: without a
// wildcard the policy treats it as a prefix, so it also covers what lies below it.
export function policyException(event, finding) {
  return { class: finding.class, location: finding.location, path: event.path };
}

// One line, ready to paste into the "exceptions" array.
export function exceptionText(event, finding) {
  return JSON.stringify(policyException(event, finding));
}
