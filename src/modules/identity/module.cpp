#include "modules/identity/module.h"

#include "modules/identity/routes.h"
#include "modules/identity/service.h"
#include "security/policy.h"

namespace balai::identity {

security::Attempt attempt_of(const http::Request& req) {
  return security::Attempt{req.remote_address,
                           std::string(req.headers.get("User-Agent").value_or("")), req.request_id};
}

RequestFacts facts_of(const http::Request& req, std::string_view via) {
  return RequestFacts{req.remote_address, req.request_id, std::string(via)};
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
  // Citizens' own data (Data Saya) is theirs alone.
  for (const char* action : {"identity.me.read", "identity.me.update"})
    app.security.policy.allow(action, Role::citizen, Scope::own);
  // The population agency (identity.verifying_agency) verifies identities, reads citizens' data
  // with a stated purpose and handles data requests; nobody else does.
  for (const char* action :
       {"identity.verify", "identity.citizens.read", "identity.requests.handle"}) {
    app.security.policy.allow(action, Role::officer, Scope::agency);
    app.security.policy.allow(action, Role::supervisor, Scope::agency);
  }

  auto service = std::make_unique<IdentityService>(app);
  IdentityService& s = *service;
  app.states.push_back(std::move(service));
  app.jobs.push_back({"identity.expire_registrations",
                      [&s](core::Timestamp now) { s.expire_registrations(now); }});
  app.jobs.push_back(
      {"identity.delete_ktp_photos", [&s](core::Timestamp now) { s.delete_due_photos(now); }});

  install_api(app);
  install_pages(app);
  install_registration_api(app, s);
  install_my_data_api(app, s);
  install_registration_pages(app, s);
  install_my_data_pages(app, s);
  install_officer_pages(app, s);
}

std::vector<security::EncryptedColumn> encrypted_columns() {
  std::vector<security::EncryptedColumn> out;
  for (const char* column : {"nik", "birth_date", "sex", "address", "village_code", "phone"})
    out.push_back({"citizens", column, "external_id", "citizens." + std::string(column) + "/"});
  out.push_back({"identity_codes", "target", "external_id", "identity_codes.target/"});
  out.push_back({"ktp_photos", "photo", "external_id", "ktp_photos.photo/"});
  out.push_back({"data_requests", "details", "external_id", "data_requests.details/"});
  out.push_back({"data_requests", "outcome", "external_id", "data_requests.outcome/"});
  return out;
}

}  // namespace balai::identity
