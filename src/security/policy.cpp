#include "security/policy.h"

namespace balai::security {
namespace {

bool covers(const Grant& grant, const Actor& actor, const Resource& resource) {
  if (grant.role != actor.role) return false;
  switch (grant.scope) {
    case Scope::any:
      return true;
    case Scope::agency:
      return !actor.agency.empty() && actor.agency == resource.agency;
    case Scope::own:
      return !actor.id.empty() && actor.id == resource.owner;
  }
  return false;
}

}  // namespace

void Policy::allow(std::string_view action, Role role, Scope scope) {
  auto it = grants_.find(action);
  if (it == grants_.end()) it = grants_.emplace(std::string(action), std::vector<Grant>{}).first;
  it->second.push_back(Grant{role, scope});
}

core::Status Policy::authorize(const Actor* actor, std::string_view action,
                               const Resource& resource) const {
  if (actor == nullptr) return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
  if (auto it = grants_.find(action); it != grants_.end()) {
    for (const Grant& g : it->second)
      if (covers(g, *actor, resource)) return {};
  }
  if (observer_) observer_(*actor, action);
  return core::make_error(core::ErrorCode::forbidden, "You may not do this.");
}

std::vector<Grant> Policy::grants(std::string_view action) const {
  auto it = grants_.find(action);
  return it == grants_.end() ? std::vector<Grant>{} : it->second;
}

std::vector<std::string> Policy::actions() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : grants_) out.push_back(name);
  return out;
}

}  // namespace balai::security
