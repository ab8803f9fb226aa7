#pragma once
// The regions module as the app sees it: the region-code table (loaded by the runtime into
// App::regions) and its public API for the region pickers.

#include "app/app.h"

namespace balai::regions {

// Registers GET /api/v1/regions (children of a code) and /api/v1/regions/{code}.
void install(app::App& app);

}  // namespace balai::regions
