#include "modules/console/module.h"

#include <memory>
#include <stdexcept>

#include "modules/catalog/module.h"
#include "modules/console/routes.h"
#include "security/policy.h"

namespace balai::console {

void ConsoleState::record_audit_run(AuditRun run) {
  std::lock_guard lock(mutex_);
  last_audit_run_ = std::move(run);
}

std::optional<AuditRun> ConsoleState::last_audit_run() const {
  std::lock_guard lock(mutex_);
  return last_audit_run_;
}

void install(app::App& app) {
  using security::Role;
  using security::Scope;
  auto& policy = app.security.policy;
  // Auditors oversee the administrators: they see everything the console shows and may check
  // the audit chain, but change nothing.
  for (Role role : {Role::admin, Role::auditor}) {
    policy.allow("console.read", role, Scope::any);
    policy.allow("console.audit.verify", role, Scope::any);
  }
  policy.allow("console.events.acknowledge", Role::admin, Scope::any);
  policy.allow("console.bans.lift", Role::admin, Scope::any);
  policy.allow("console.tokens.manage", Role::admin, Scope::any);
  policy.allow("console.agencies.manage", Role::admin, Scope::any);
  policy.allow("console.staff.manage", Role::admin, Scope::any);

  auto state = std::make_unique<ConsoleState>();
  ConsoleState& kept = *state;
  app.states.push_back(std::move(state));
  install_pages(app, kept);
  // The agencies are the catalog's: it is installed first (app.cpp).
  catalog::CatalogService* catalog = catalog::service_of(app);
  if (catalog == nullptr) throw std::logic_error("console: install the catalog module first");
  install_agency_pages(app, *catalog);
  install_staff_pages(app, *catalog);
}

}  // namespace balai::console
