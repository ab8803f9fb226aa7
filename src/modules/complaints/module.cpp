#include "modules/complaints/module.h"

#include "modules/complaints/routes.h"
#include "modules/complaints/service.h"
#include "security/policy.h"

namespace balai::complaints {

RequestFacts facts_of(const http::Request& req, std::string_view via) {
  return RequestFacts{req.remote_address, req.request_id, std::string(via)};
}

void install(app::App& app) {
  using security::Role;
  using security::Scope;
  // Citizens report and follow their own reports (and support others' public ones).
  app.security.policy.allow("complaints.report.submit", Role::citizen, Scope::own);
  // Open311 clients (integrator tokens) submit on behalf of people without an account.
  app.security.policy.allow("complaints.open311.submit", Role::integrator, Scope::any);
  // Staff of the verifying office verify; staff of the agency a report went to handle it and
  // may see who reported (audited, with a purpose); supervisors also re-route and merge.
  for (const char* action :
       {"complaints.verify", "complaints.handle", "complaints.reporter.read"}) {
    app.security.policy.allow(action, Role::officer, Scope::agency);
    app.security.policy.allow(action, Role::supervisor, Scope::agency);
  }
  app.security.policy.allow("complaints.supervise", Role::supervisor, Scope::agency);
  app.security.policy.allow("complaints.categories.manage", Role::admin, Scope::any);

  auto service = std::make_unique<ComplaintService>(app);
  ComplaintService& s = *service;
  app.states.push_back(std::move(service));
  app.jobs.push_back({"complaints.close_due", [&s](core::Timestamp now) { s.close_due(now); }});
  app.jobs.push_back(
      {"complaints.escalate_due", [&s](core::Timestamp now) { s.escalate_due(now); }});

  // The staff routes first: /api/v1/complaints/queue must win over /api/v1/complaints/{tracking}.
  install_staff_api(app, s);
  install_api(app, s);
  install_open311(app, s);
  install_pages(app, s);
  install_staff_pages(app, s);
}

std::vector<security::EncryptedColumn> encrypted_columns() {
  return {{"complaints", "contact", "tracking", "complaints.contact/"}};
}

}  // namespace balai::complaints
