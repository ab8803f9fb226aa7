#include "modules/calendar/module.h"

#include <memory>

#include "modules/calendar/routes.h"
#include "modules/calendar/service.h"
#include "security/policy.h"

namespace balai::calendar {

void allow_actions(security::Policy& policy) {
  using security::Role;
  using security::Scope;
  // Auditors oversee the administrators: they see the calendar in the console, change nothing.
  // (The holidays themselves are public: GET /api/v1/holidays needs no grant.)
  for (Role role : {Role::admin, Role::auditor}) policy.allow(kReadHolidays, role, Scope::any);
  policy.allow(kManageHolidays, Role::admin, Scope::any);
}

void install(app::App& app) {
  allow_actions(app.security.policy);
  auto service = std::make_unique<CalendarService>(app);
  CalendarService& s = *service;
  app.states.push_back(std::move(service));
  install_api(app, s);
  install_pages(app, s);
}

}  // namespace balai::calendar
