#pragma once
// What a module receives when it is installed: the shared pieces of the running program.
// Plain references, owned by app::Runtime, valid for the life of the process.

#include <memory>
#include <vector>

#include "core/config.h"
#include "core/time.h"
#include "db/database.h"
#include "http/response_cache.h"
#include "http/router.h"
#include "http/static_files.h"
#include "web/renderer.h"

namespace balai::app {

// Something a module keeps alive while the program runs (its service, its store).
struct ModuleState {
  virtual ~ModuleState() = default;
};

struct App {
  const core::Config& config;
  const core::Clock& clock;
  db::Database& db;
  http::Router& router;
  http::ResponseCache& cache;
  const web::Renderer& renderer;
  const http::StaticFiles& statics;
  std::vector<std::unique_ptr<ModuleState>>& states;
};

}  // namespace balai::app
