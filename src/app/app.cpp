#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "app/runtime.h"
#include "core/log.h"
#include "http/json.h"
#include "modules/calendar/module.h"
#include "modules/catalog/module.h"
#include "modules/city/demo.h"
#include "modules/city/module.h"
#include "modules/complaints/module.h"
#include "modules/console/module.h"
#include "modules/identity/module.h"
#include "modules/notify/module.h"
#include "modules/notify/outbox.h"
#include "modules/regions/directory.h"
#include "modules/regions/module.h"
#include "security/account_budget.h"
#include "security/headers.h"
#include "security/migrations.h"
#include "security/waf_middleware.h"
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

std::string find_data_dir(const std::string& web_dir) {
  std::error_code ec;
  const fs::path beside = fs::path(web_dir).parent_path() / "data";
  if (fs::is_directory(beside / "passwords", ec)) return beside.string();
  return "data";
}

Runtime::~Runtime() {
  if (housekeeping_.joinable()) {
    {
      std::lock_guard lock(housekeeping_mutex_);
      housekeeping_stop_ = true;
    }
    housekeeping_wake_.notify_all();
    housekeeping_.join();
  }
  // Modules' states in the reverse order of their installation: a later one may use an earlier
  // one (the city's MQTT bridge feeds its live feed) while its threads stop.
  while (!states_.empty()) states_.pop_back();
  // Stop sending before the database and the cipher go away.
  outbox_.reset();
  // The monitor drains its queue into the database before anything it uses goes away.
  monitor_.reset();
}

void Runtime::housekeeping_once() {
  const core::Timestamp now = clock_.now();
  auto latest = audit_->latest_checkpoint(*db_);
  const int64_t every_ms = int64_t{config_.security.audit_checkpoint_minutes} * 60'000;
  if (latest && (!*latest || now.ms - (*latest)->at.ms >= every_ms)) {
    if (auto s = audit_->checkpoint(*db_, now); !s)
      core::log::warn("audit.checkpoint_failed", {{"error", s.error().message}});
  }
  firewall_->bans().sweep(now);
  firewall_->account_locks().sweep(now);
  firewall_->limiter().sweep(now);
  const int64_t cutoff = now.ms - int64_t{config_.security.session_retention_days} * 24 * 3'600'000;
  auto purged = db_->transact([&](db::Connection& c) -> core::Status {
    auto r =
        c.query("DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?", {cutoff, cutoff});
    if (!r) return r.take_error();
    return {};
  });
  if (!purged) core::log::warn("sessions.purge_failed", {{"error", purged.error().message}});
  for (const Job& job : jobs_) job.run(now);
}

void Runtime::housekeeping_loop() {
  std::unique_lock lock(housekeeping_mutex_);
  while (!housekeeping_stop_) {
    housekeeping_wake_.wait_for(lock, std::chrono::minutes(1));
    if (housekeeping_stop_) break;
    lock.unlock();
    housekeeping_once();
    lock.lock();
  }
}

core::Status Runtime::open_security(const std::string& web_dir) {
  const auto& sc = config_.security;
  cipher_ = std::make_unique<security::FieldCipher>(*keyring_);
  const auto pepper = keyring_->pepper();
  hasher_ = std::make_unique<security::PasswordHasher>(
      pepper, security::Argon2Parameters{static_cast<uint64_t>(sc.password_hash_passes),
                                         static_cast<size_t>(sc.password_hash_memory_kib) * 1024});
  auto common =
      security::CommonPasswords::load(find_data_dir(web_dir) + "/passwords/10k-most-common.txt");
  if (!common) return common.take_error();
  common_passwords_ = std::make_unique<security::CommonPasswords>(std::move(common).value());
  auto indonesian =
      security::CommonPasswords::load(find_data_dir(web_dir) + "/passwords/id-common.txt");
  if (!indonesian) return indonesian.take_error();
  common_passwords_->merge(*indonesian);

  auto firewall = security::firewall::Firewall::create(sc, clock_);
  if (!firewall) return firewall.take_error();
  firewall_ = std::move(firewall).value();

  policy_ = std::make_unique<security::Policy>();
  accounts_ = std::make_unique<security::Accounts>(*db_, *cipher_, *hasher_, *common_passwords_,
                                                   config_.city.name);
  security::SessionSettings session_settings;
  session_settings.idle_ms_staff = int64_t{sc.session_idle_minutes_staff} * 60'000;
  session_settings.idle_ms_citizen = int64_t{sc.session_idle_minutes_citizen} * 60'000;
  session_settings.absolute_ms = int64_t{sc.session_absolute_hours} * 3'600'000;
  sessions_ = std::make_unique<security::Sessions>(*db_, *cipher_, session_settings);
  tokens_ = std::make_unique<security::ApiTokens>(*db_);
  csrf_ = std::make_unique<security::CsrfTokens>(pepper);
  authenticator_ = std::make_unique<security::Authenticator>(
      *sessions_, *tokens_, *csrf_, security::authentication_settings(config_), clock_,
      web::error_renderer(*renderer_));
  events_ = std::make_unique<security::SecurityEvents>(*db_);
  security::MonitorSettings monitor_settings;
  monitor_settings.webhook_url = sc.alert_webhook;
  monitor_settings.thresholds.staff_reads = sc.staff_reads_per_hour;
  monitor_ = std::make_unique<security::Monitor>(*events_, *firewall_, clock_, monitor_settings);
  sign_in_ =
      std::make_unique<security::SignIn>(*accounts_, *sessions_, *firewall_, *monitor_, *audit_,
                                         *db_, clock_, pepper, "Balai " + config_.city.name);
  authenticator_->on_refused([this](const http::Request& req, security::Refusal why) {
    monitor_->report(security::SecurityEvent{"",
                                             clock_.now(),
                                             std::string(to_string(why)),
                                             security::ids::Severity::low,
                                             req.remote_address,
                                             "",
                                             "refused " + std::string(http::to_string(req.method)),
                                             {},
                                             ""});
  });
  policy_->on_denied([this](const security::Actor& actor, std::string_view action) {
    monitor_->report(security::SecurityEvent{"",
                                             clock_.now(),
                                             "access_denied",
                                             security::ids::Severity::low,
                                             "",
                                             actor.id,
                                             "denied " + std::string(action),
                                             {},
                                             ""});
  });
  security_ = std::unique_ptr<SecurityServices>(new SecurityServices{
      *keyring_, *cipher_, *audit_, *common_passwords_, *policy_, *accounts_, *sessions_, *tokens_,
      *authenticator_, *sign_in_, *monitor_, *events_, *firewall_, nullptr});
  return {};
}

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

  BALAI_TRY(rt->open_security(web_dir));

  auto regions = regions::Directory::load(find_data_dir(web_dir) + "/wilayah/wilayah.csv");
  if (!regions) return regions.take_error();
  rt->regions_ = std::move(regions).value();
  try {
    rt->outbox_ =
        std::make_unique<notify::Outbox>(*rt->db_, *rt->cipher_, rt->config_.notify, rt->clock_);
  } catch (const std::exception& e) {
    return core::make_error(core::ErrorCode::unavailable, e.what());
  }

  rt->app_ = std::unique_ptr<App>(new App{rt->config_, rt->clock_, *rt->db_, rt->router_,
                                          rt->cache_, rt->streams_, *rt->renderer_, *rt->statics_,
                                          rt->states_, *rt->security_, *rt->regions_, *rt->outbox_,
                                          rt->jobs_, rt->gauges_});
  return rt;
}

std::vector<db::Migration> Runtime::all_migrations() {
  std::vector<db::Migration> all;
  for (auto&& m : security::migrations()) all.push_back(std::move(m));
  for (auto&& m : catalog::migrations()) all.push_back(std::move(m));
  for (auto&& m : notify::migrations()) all.push_back(std::move(m));
  for (auto&& m : calendar::migrations()) all.push_back(std::move(m));
  for (auto&& m : identity::migrations()) all.push_back(std::move(m));
  for (auto&& m : complaints::migrations()) all.push_back(std::move(m));
  for (auto&& m : city::migrations()) all.push_back(std::move(m));
  return all;
}

std::vector<security::EncryptedColumn> Runtime::encrypted_columns() {
  auto all = security::security_encrypted_columns();
  for (auto&& c : identity::encrypted_columns()) all.push_back(std::move(c));
  for (auto&& c : notify::encrypted_columns()) all.push_back(std::move(c));
  for (auto&& c : complaints::encrypted_columns()) all.push_back(std::move(c));
  return all;
}

core::Result<db::MigrationReport> Runtime::migrate() {
  return db::migrate(*db_, all_migrations());
}

void Runtime::install_modules() {
  if (modules_installed_) return;
  modules_installed_ = true;
  install_platform_routes();
  catalog::install(*app_);
  regions::install(*app_);
  notify::install(*app_);
  calendar::install(*app_);
  identity::install(*app_);
  complaints::install(*app_);
  city::install(*app_);
  console::install(*app_);
}

core::Status Runtime::seed_demo() {
  // Demo data goes through the modules' services (grants, audit, deadlines), so they must be
  // installed first; serving later finds them installed.
  install_modules();
  BALAI_TRY(catalog::seed_demo(*app_));
  BALAI_TRY(identity::seed_demo(*app_));
  BALAI_TRY(complaints::seed_demo(*app_));
  return city::seed_demo(*app_);
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
  if (auto mode = security::waf::parse_mode(config_.security.waf);
      mode && *mode != security::waf::Mode::off) {
    security::waf::Settings settings;
    settings.mode = *mode;
    settings.paranoia = config_.security.waf_paranoia;
    settings.crs_setup = config_.security.waf_crs_setup;
    settings.crs_rules = config_.security.waf_crs_rules;
    auto waf = security::waf::Waf::load(settings);
    if (!waf) return waf.take_error();
    waf_ = std::move(waf).value();
    security_->waf = waf_.get();
    core::log::info("security.waf_loaded", {{"mode", config_.security.waf},
                                            {"rules", static_cast<int64_t>(waf_->rule_count())}});
  }
  if (!authenticator_->cookies().secure)
    core::log::warn("security.insecure_cookies",
                    {{"cookie", authenticator_->cookies().session},
                     {"why", "no TLS and no https public_url: development only"}});
  install_modules();
  renderer_->set_viewer_describer([this](const http::Request& req) {
    const auto* actor = security::current_actor(req);
    boost::json::object viewer{{"signed_in", actor != nullptr}};
    if (actor) {
      viewer["console"] =
          actor->role == security::Role::admin || actor->role == security::Role::auditor;
      viewer["citizen"] = actor->role == security::Role::citizen;
      // Officers and supervisors of any agency work complaints (their agency's queue).
      viewer["complaints_staff"] =
          actor->role == security::Role::officer || actor->role == security::Role::supervisor;
      // Staff of the agency that verifies identities and answers data requests.
      viewer["verifier"] =
          (actor->role == security::Role::officer || actor->role == security::Role::supervisor) &&
          actor->agency == config_.identity.verifying_agency;
    }
    return viewer;
  });

  metrics_ = std::make_unique<http::Metrics>(router_);
  for (const Gauge& g : gauges_) metrics_->add_gauge(g.name, g.help, g.read);
  // From the delivery thread's last pass: /metrics runs on an I/O thread and must not query.
  metrics_->add_gauge("balai_notify_queued", "Messages waiting in the outbox.",
                      [this] { return static_cast<double>(outbox_->last_counts().queued); });
  metrics_->add_gauge("balai_notify_failed", "Messages the outbox gave up on.",
                      [this] { return static_cast<double>(outbox_->last_counts().failed); });
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
  metrics_->add_gauge("balai_security_observations_dropped",
                      "Observations the security monitor dropped under a flood.",
                      [this] { return static_cast<double>(monitor_->dropped()); });
  metrics_->add_gauge("balai_security_alerts_failed", "Alerts the webhook did not accept.",
                      [this] { return static_cast<double>(monitor_->alerts_failed()); });
  metrics_->add_gauge("balai_security_bans_active", "Client addresses banned now.", [this] {
    return static_cast<double>(firewall_->bans().list(clock_.now()).size());
  });

  server_ = std::make_unique<http::Server>(config_.server, router_, *metrics_, cache_);
  server_->admit([fw = firewall_.get()](http::Request& req) { return fw->admit(req); });
  server_->set_access_log(config_.log.access_log);
  server_->stream_events(streams_);
  server_->use(web::language_middleware(*renderer_));
  if (waf_)
    server_->use(
        security::waf_middleware(*waf_, *monitor_, clock_, web::error_renderer(*renderer_)));
  server_->use(authenticator_->middleware());
  server_->use(
      security::account_budget_middleware(*firewall_, clock_, web::error_renderer(*renderer_)));
  server_->decorate(security::security_headers(config_.city.map_tiles));
  // Scanners show themselves by the 403s and 404s they collect, many of them answered on the
  // I/O thread; observing only queues.
  server_->decorate([this](const http::Request& req, http::Response& res) {
    if (res.status == 403 || res.status == 404)
      monitor_->observe(security::ids::Observation{security::ids::ObservationKind::http_refused,
                                                   clock_.now(),
                                                   req.remote_address,
                                                   "",
                                                   false,
                                                   res.status,
                                                   "",
                                                   true,
                                                   {}});
  });
  server_->set_error_renderer(web::error_renderer(*renderer_));
  BALAI_TRY(server_->start());
  housekeeping_ = std::thread([this] { housekeeping_loop(); });
  outbox_->start();
  return {};
}

}  // namespace balai::app
