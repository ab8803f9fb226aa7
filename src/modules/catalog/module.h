#pragma once
// The catalog module as the app sees it.

#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "db/migrator.h"

namespace balai::catalog {

class CatalogService;

// The module's schema (embedded from migrations/ at build time).
std::vector<db::Migration> migrations();

// Registers the catalog's JSON and HTML routes; keeps its service alive in app.states.
void install(app::App& app);

// The catalog service installed in `app` (null before install). Owned by app.states; valid
// while the app lives. Thread-safe like the service itself.
CatalogService* service_of(app::App& app);

// Writes the demo city's agencies and services (idempotent: updates by code).
[[nodiscard]] core::Status seed_demo(app::App& app);

}  // namespace balai::catalog
