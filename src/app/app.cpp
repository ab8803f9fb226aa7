#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "app/runtime.h"
#include "core/log.h"
#include "http/json.h"
#include "modules/catalog/module.h"
#include "security/headers.h"
#include "security/migrations.h"
#include "web/middleware.h"

namespace balai::app {
namespace fs = std::filesystem;

std::string find_web_dir(const std::string& configured) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  if (fs::is_directory("web/templates", ec)) return "web";
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate :
         {exe.parent_path().parent_path().parent_path() / "web",
          exe.parent_path().parent_path() / "web",
          exe.parent_path().parent_path() / "share" / "balai" / "web"}) {
      if (fs::is_directory(candidate / "templates", ec)) return candidate.string();
    }
  }
  return "web";
}

Runtime::~Runtime() = default;

core::Result<std::unique_ptr<Runtime>> Runtime::open(const core::Config& config) {
  std::unique_ptr<Runtime> rt(new Runtime());
  rt->config_ = config;
  core::log::Level level = core::log::Level::info;
  if (core::log::parse_level(config.log.level, level)) core::log::set_level(level);

  std::error_code ec;
  if (!fs::exists(config.data_dir, ec)) {
    fs::create_directories(config.data_dir, ec);
    if (ec)
      return core::make_error(core::ErrorCode::unavailable,
                              "cannot create data directory " + config.data_dir);
    ::chmod(config.data_dir.c_str(), 0700);
  }

  // The key ring exists before any personal data can be written; first start creates it (0600).
  auto keyring = security::KeyRing::load_or_create(config.keyring_path(), rt->clock_.now());
  if (!keyring) return keyring.take_error();
  rt->keyring_ = std::make_unique<security::KeyRing>(std::move(keyring).value());
  rt->audit_ = std::make_unique<security::AuditLog>(*rt->keyring_);

  db::OpenOptions options;
  options.readers = config.database.readers;
  options.busy_timeout_ms = config.database.busy_timeout_ms;
  auto db = db::open_database(config.database_url(), options);
  if (!db) return db.take_error();
  rt->db_ = std::move(db).value();

  const std::string web_dir = find_web_dir(config.web_dir);
  auto statics = http::StaticFiles::load(web_dir + "/static");
  if (!statics) return statics.take_error();
  rt->statics_ = std::make_unique<http::StaticFiles>(std::move(statics).value());
  auto renderer = web::Renderer::load(web_dir, config.city, *rt->statics_);
  if (!renderer) return renderer.take_error();
  rt->renderer_ = std::move(renderer).value();

  rt->app_ = std::unique_ptr<App>(new App{rt->config_, rt->clock_, *rt->db_, rt->router_,
                                          rt->cache_, *rt->renderer_, *rt->statics_, rt->states_});
  return rt;
}

std::vector<db::Migration> Runtime::all_migrations() {
  std::vector<db::Migration> all;
  for (auto&& m : security::migrations()) all.push_back(std::move(m));
  for (auto&& m : catalog::migrations()) all.push_back(std::move(m));
  return all;
}

core::Result<db::MigrationReport> Runtime::migrate() {
  return db::migrate(*db_, all_migrations());
}

core::Status Runtime::seed_demo() {
  return catalog::seed_demo(*app_);
}

void Runtime::install_platform_routes() {
  router_
      .get("/healthz",
           [](http::Request&) {
             http::Response r = http::Response::text(200, "ok\n");
             r.headers.set("Cache-Control", "no-store");
             return r;
           })
      .inline_io();
  router_.get("/readyz", [this](http::Request&) {
    auto ping = db_->ping();
    http::Response r = ping ? http::Response::text(200, "ready\n")
                            : http::Response::text(503, "database unreachable\n");
    r.headers.set("Cache-Control", "no-store");
    return r;
  });
  router_
      .get("/metrics",
           [this](http::Request&) {
             http::Response r;
             r.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
             r.headers.set("Cache-Control", "no-store");
             r.body = metrics_->render();
             return r;
           })
      .inline_io();
  statics_->install(router_);
}

core::Status Runtime::start_server() {
  install_platform_routes();
  catalog::install(*app_);

  metrics_ = std::make_unique<http::Metrics>(router_);
  metrics_->add_gauge("balai_db_connections", "Database connections open.",
                      [this] { return static_cast<double>(db_->stats().connections); });
  metrics_->add_gauge("balai_db_connections_in_use", "Database connections lent out now.",
                      [this] { return static_cast<double>(db_->stats().in_use); });
  metrics_->add_gauge("balai_db_waiting", "Callers waiting for a connection or in the write queue.",
                      [this] { return static_cast<double>(db_->stats().waiting); });
  metrics_->add_gauge("balai_db_transactions", "Write transactions committed since start.",
                      [this] { return static_cast<double>(db_->stats().transactions); });
  metrics_->add_gauge("balai_db_commits", "Physical commits since start (group commit: fewer).",
                      [this] { return static_cast<double>(db_->stats().commits); });
  metrics_->add_gauge("balai_public_cache_entries", "Public responses held in memory.",
                      [this] { return static_cast<double>(cache_.size()); });

  auto firewall = security::firewall::Firewall::create(config_.security, clock_);
  if (!firewall) return firewall.take_error();
  firewall_ = std::move(firewall).value();

  server_ = std::make_unique<http::Server>(config_.server, router_, *metrics_, cache_);
  server_->admit([fw = firewall_.get()](http::Request& req) { return fw->admit(req); });
  server_->set_access_log(config_.log.access_log);
  server_->use(web::language_middleware(*renderer_));
  server_->decorate(security::security_headers());
  server_->set_error_renderer(web::error_renderer(*renderer_));
  return server_->start();
}

}  // namespace balai::app
