#pragma once
// The holiday calendar as the app sees it: the national holidays and cuti bersama that
// working-day deadlines skip, kept by administrators in the console (/konsol/hari-libur) and on
// the command line (`balai holiday`), published at GET /api/v1/holidays. Other modules count
// working days through calendar::service_of(app).working_days() (service.h).

#include <vector>

#include "app/app.h"
#include "db/migrator.h"

namespace balai::calendar {

// The module's schema (the holidays table) and its seed (the 2026 national holidays and cuti
// bersama), embedded from migrations/ at build time.
std::vector<db::Migration> migrations();

// Grants the module's policy actions: reading the console page (administrators, auditors) and
// changing the calendar (administrators). install() calls it; the command line, which installs
// no modules, calls it before it uses a CalendarService. Start-up only (the policy is then
// read-only).
void allow_actions(security::Policy& policy);

// Grants the actions, keeps the CalendarService in app.states and registers the console page
// and the JSON route. Call once at start-up, before the modules that count working days.
void install(app::App& app);

}  // namespace balai::calendar
