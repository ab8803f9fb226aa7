#include "modules/regions/module.h"

#include "modules/regions/routes.h"

namespace balai::regions {

void install(app::App& app) {
  // The directory is loaded (and owned) by the runtime; the module only publishes it.
  install_api(app.router, app.regions);
}

}  // namespace balai::regions
