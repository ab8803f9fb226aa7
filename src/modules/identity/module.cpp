#include "modules/identity/module.h"

#include "modules/identity/routes.h"
#include "security/policy.h"

namespace balai::identity {

security::Attempt attempt_of(const http::Request& req) {
  return security::Attempt{req.remote_address,
                           std::string(req.headers.get("User-Agent").value_or("")), req.request_id};
}

std::string safe_next(std::optional<std::string> next) {
  if (!next || next->empty() || (*next)[0] != '/' || next->starts_with("//") ||
      next->find('\\') != std::string::npos || next->size() > 512)
    return "/akun";
  return *next;
}

void install(app::App& app) {
  using security::Role;
  using security::Scope;
  // Everyone who signs in may see and end their own sessions, and nobody else's.
  for (Role role : {Role::citizen, Role::officer, Role::supervisor, Role::admin, Role::auditor}) {
    app.security.policy.allow("account.sessions.read", role, Scope::own);
    app.security.policy.allow("account.sessions.revoke", role, Scope::own);
  }
  install_api(app);
  install_pages(app);
}

}  // namespace balai::identity
