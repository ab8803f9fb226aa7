#pragma once
// Internal to the notify module: the development outbox's routes (pages.cpp, api.cpp). Both
// exist only when notify.dev_outbox is on, and answer Cache-Control: no-store and
// X-Robots-Tag: noindex (the messages hold codes and addresses).

#include "app/app.h"

namespace balai::notify {

// How many of the newest messages the page and the API show.
inline constexpr int kDevMessagesShown = 100;

// GET /dev/kotak-keluar: the messages as an HTML page, under a warning banner.
void install_pages(app::App& app);

// GET /api/v1/dev/outbox: {"messages":[{"id","channel","to","subject","body","kind",
// "created_at"}]}, newest first, created_at in ISO-8601 with the city's offset.
void install_api(app::App& app);

}  // namespace balai::notify
