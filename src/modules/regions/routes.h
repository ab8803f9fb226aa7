#pragma once
// Internal to the regions module: its route table (api.cpp).

#include "http/router.h"
#include "modules/regions/directory.h"

namespace balai::regions {

// Registers the /api/v1/regions routes. `regions` must outlive the router.
void install_api(http::Router& router, const Directory& regions);

}  // namespace balai::regions
