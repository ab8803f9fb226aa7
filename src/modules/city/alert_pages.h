#pragma once
// Internal to the city module: the citizens' page that chooses the districts (kecamatan) whose
// public alerts reach them by email, for browsers without JavaScript (alert_pages.cpp):
//   GET  /kota/peringatan         the districts followed, a form to add one; a sign-in link for
//                                 visitors, a "for citizens" notice for staff and API clients
//   POST /kota/peringatan         add one (form field `district`)
//   POST /kota/peringatan/hapus   remove one (form field `district`)

#include "app/app.h"
#include "modules/city/alert_service.h"

namespace balai::city {

// Registers the page's routes. `alerts` must outlive the router (install_alerts owns it in
// app.states). Start-up only; the handlers block on the database (worker threads).
void install_alert_pages(app::App& app, AlertService& alerts);

}  // namespace balai::city
