#pragma once
// Access control (DESIGN.md, security model): one authorize(actor, action, resource) that every
// module calls before it reads or changes anything. Deny by default: an action nobody was
// granted is refused to everyone, and a grant is always for a role within a scope, so an
// officer of one agency never reaches another agency's records and a citizen never reaches
// another citizen's by changing an id in the URL (object-level checks, no IDOR).
//
// Modules register their grants at start-up (module.cpp), then the policy is only read.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "security/actor.h"

namespace balai::security {

enum class Scope {
  any,     // every resource of the kind (admins, public reads)
  agency,  // resources of the actor's own agency (staff and tokens with an agency)
  own,     // resources the actor owns (a citizen's own complaint, profile, sessions)
};

// What the check needs to know about the object: who owns it and which agency holds it.
// Empty fields match nothing (an object without an owner is nobody's "own").
struct Resource {
  std::string_view owner;   // external id of the owning account
  std::string_view agency;  // agency (OPD) code
};

struct Grant {
  Role role;
  Scope scope;
};

class Policy {
 public:
  // Called with each refusal of an authenticated actor (not with 401s): the intrusion
  // detection's feed. Set at start-up; must be thread-safe.
  using DeniedObserver = std::function<void(const Actor& actor, std::string_view action)>;

  // Grants `role` the `action` (e.g. "complaints.report.read") on resources in `scope`. A role
  // may hold several grants of one action; the widest that matches wins. Start-up only.
  void allow(std::string_view action, Role role, Scope scope);
  void on_denied(DeniedObserver observer) { observer_ = std::move(observer); }

  // Ok when `actor` may do `action` to `resource`. unauthenticated (401) when there is no
  // actor; forbidden (403) when the action is unknown or no grant of the actor's role covers
  // the resource. Thread-safe after start-up; never blocks.
  [[nodiscard]] core::Status authorize(const Actor* actor, std::string_view action,
                                       const Resource& resource = {}) const;

  // The grants of an action, for documentation and the console.
  std::vector<Grant> grants(std::string_view action) const;
  std::vector<std::string> actions() const;

 private:
  std::map<std::string, std::vector<Grant>, std::less<>> grants_;
  DeniedObserver observer_;
};

}  // namespace balai::security
