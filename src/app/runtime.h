#pragma once
// The running program: owns configuration, database, router, renderer, modules and server,
// and wires them in the order DESIGN.md gives (config -> db -> security -> modules -> server).

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"
#include "core/config.h"
#include "core/result.h"
#include "db/database.h"
#include "db/migrator.h"
#include "http/metrics.h"
#include "http/server.h"
#include "security/accounts.h"
#include "security/api_tokens.h"
#include "security/audit.h"
#include "security/authentication.h"
#include "security/csrf.h"
#include "security/field_cipher.h"
#include "security/firewall/firewall.h"
#include "security/key_ring.h"
#include "security/monitor.h"
#include "security/password_policy.h"
#include "security/passwords.h"
#include "security/policy.h"
#include "security/reencryption.h"
#include "security/security_events.h"
#include "security/sessions.h"
#include "security/sign_in.h"
#include "security/waf/waf.h"

namespace balai::app {

class Runtime {
 public:
  // Opens the database and loads templates, catalogs and static files. Creates the data
  // directory (mode 0700) when missing. Blocks.
  [[nodiscard]] static core::Result<std::unique_ptr<Runtime>> open(const core::Config& config);
  ~Runtime();

  // Every module's migrations, in dependency order.
  static std::vector<db::Migration> all_migrations();
  // Every encrypted column of every module (for re-encryption after a key rotation).
  static std::vector<security::EncryptedColumn> encrypted_columns();
  [[nodiscard]] core::Result<db::MigrationReport> migrate();
  // Writes the demo city (idempotent).
  [[nodiscard]] core::Status seed_demo();

  // One round of periodic work (see housekeeping_); the thread calls it every minute. Blocks.
  void housekeeping_once();

  // Registers the platform routes and every module, then binds the server. After it,
  // server().port() is the listening port.
  [[nodiscard]] core::Status start_server();
  http::Server& server() { return *server_; }
  // Routes may be added before start_server() (tests add their own probes).
  http::Router& router() { return router_; }
  db::Database& database() { return *db_; }
  security::KeyRing& keyring() { return *keyring_; }
  const security::AuditLog& audit() const { return *audit_; }
  const core::Config& config() const { return config_; }
  SecurityServices& security() { return *security_; }
  App& app() { return *app_; }

 private:
  Runtime() = default;
  void install_platform_routes();
  // Routes, grants, services and jobs of the platform and every module; once (seeding the demo
  // and serving both need them).
  void install_modules();
  bool modules_installed_ = false;
  void housekeeping_loop();
  [[nodiscard]] core::Status open_security(const std::string& web_dir);

  core::Config config_;
  core::SystemClock clock_;
  std::unique_ptr<security::KeyRing> keyring_;
  std::unique_ptr<security::AuditLog> audit_;
  std::unique_ptr<security::firewall::Firewall> firewall_;
  std::unique_ptr<db::Database> db_;
  http::Router router_;
  http::ResponseCache cache_;
  http::EventStreams streams_;
  std::unique_ptr<http::StaticFiles> statics_;
  std::unique_ptr<web::Renderer> renderer_;
  // The security layer's services (after db_ and firewall_: the monitor's thread uses both, so
  // it must stop before they go).
  std::unique_ptr<security::FieldCipher> cipher_;
  std::unique_ptr<security::PasswordHasher> hasher_;
  std::unique_ptr<security::CommonPasswords> common_passwords_;
  std::unique_ptr<security::Policy> policy_;
  std::unique_ptr<security::Accounts> accounts_;
  std::unique_ptr<security::Sessions> sessions_;
  std::unique_ptr<security::ApiTokens> tokens_;
  std::unique_ptr<security::CsrfTokens> csrf_;
  std::unique_ptr<security::Authenticator> authenticator_;
  std::unique_ptr<security::SecurityEvents> events_;
  std::unique_ptr<security::Monitor> monitor_;
  std::unique_ptr<security::SignIn> sign_in_;
  std::unique_ptr<security::waf::Waf> waf_;
  std::unique_ptr<SecurityServices> security_;
  // Periodic work while serving: audit checkpoints, sweeping bans and rate-limit buckets,
  // deleting long-ended sessions. Stops (and joins) before the services it uses go away.
  std::mutex housekeeping_mutex_;
  std::condition_variable housekeeping_wake_;
  bool housekeeping_stop_ = false;
  std::thread housekeeping_;
  std::shared_ptr<const regions::Directory> regions_;
  std::unique_ptr<notify::Outbox> outbox_;
  std::vector<Job> jobs_;
  std::vector<Gauge> gauges_;  // the modules' own /metrics gauges
  std::vector<std::unique_ptr<ModuleState>> states_;
  std::unique_ptr<App> app_;
  std::unique_ptr<http::Metrics> metrics_;
  std::unique_ptr<http::Server> server_;
};

// The folder with passwords/ (the common-password list): data/ beside the web folder.
std::string find_data_dir(const std::string& web_dir);

// The folder with templates/, i18n/ and static/: the configured one, else ./web, else next to
// the binary (<bin>/../../web for build trees, <bin>/../share/balai/web when installed).
std::string find_web_dir(const std::string& configured);

}  // namespace balai::app
