#pragma once
// Internal to the calendar module: its route tables.

#include "app/app.h"
#include "modules/calendar/service.h"

namespace balai::calendar {

// GET /api/v1/holidays (api.cpp). `service` outlives the router.
void install_api(app::App& app, const CalendarService& service);
// GET and POST /konsol/hari-libur, POST /konsol/hari-libur/hapus (pages.cpp).
void install_pages(app::App& app, CalendarService& service);

}  // namespace balai::calendar
