#include "modules/catalog/module.h"

#include "modules/catalog/routes.h"
#include "modules/catalog/service.h"
#include "modules/catalog/store.h"

namespace balai::catalog {
namespace {

struct State final : app::ModuleState {
  State(app::App& app) : store(app.db), service(store, app.clock, app.cache) {}
  Store store;
  CatalogService service;
};

}  // namespace

CatalogService* service_of(app::App& app) {
  for (auto& state : app.states)
    if (auto* s = dynamic_cast<State*>(state.get())) return &s->service;
  return nullptr;
}

void install(app::App& app) {
  auto state = std::make_unique<State>(app);
  install_api(app.router, state->service);
  install_pages(app.router, state->service, app.renderer);
  app.states.push_back(std::move(state));
}

}  // namespace balai::catalog
