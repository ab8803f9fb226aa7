#pragma once
// What a module receives when it is installed: the shared pieces of the running program.
// Plain references, owned by app::Runtime, valid for the life of the process.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/time.h"
#include "db/database.h"
#include "http/event_stream.h"
#include "http/response_cache.h"
#include "http/router.h"
#include "http/static_files.h"
#include "web/renderer.h"

namespace balai::security {
class KeyRing;
class FieldCipher;
class AuditLog;
class Policy;
class Accounts;
class Sessions;
class ApiTokens;
class Authenticator;
class SignIn;
class Monitor;
class SecurityEvents;
class CommonPasswords;
namespace firewall {
class Firewall;
}
namespace waf {
class Waf;
}
}  // namespace balai::security

namespace balai::regions {
class Directory;
}
namespace balai::notify {
class Outbox;
}

namespace balai::app {

// The security layer as modules use it (DESIGN.md: every module authorizes through the policy,
// audits through the chain, encrypts through the cipher).
struct SecurityServices {
  const security::KeyRing& keyring;
  const security::FieldCipher& cipher;
  const security::AuditLog& audit;
  const security::CommonPasswords& common_passwords;
  security::Policy& policy;
  security::Accounts& accounts;
  security::Sessions& sessions;
  security::ApiTokens& tokens;
  security::Authenticator& authenticator;
  security::SignIn& sign_in;
  security::Monitor& monitor;
  security::SecurityEvents& events;
  security::firewall::Firewall& firewall;
  const security::waf::Waf* waf;  // null when the WAF is off
};

// Something a module keeps alive while the program runs (its service, its store).
struct ModuleState {
  virtual ~ModuleState() = default;
};

// Periodic work a module registers at install (expiring registrations, deleting photos past
// retention). The housekeeping thread runs every job about once a minute; a job blocks, never
// throws, and logs its own failures.
struct Job {
  std::string name;
  std::function<void(core::Timestamp now)> run;
};

// A number a module shows on /metrics (a Prometheus gauge), read on an I/O thread whenever it is
// scraped: `read` must be cheap and never block (an atomic, a snapshot under a short lock).
// Registered at install; the name starts with balai_<module>_.
struct Gauge {
  std::string name;
  std::string help;
  std::function<double()> read;
};

struct App {
  const core::Config& config;
  const core::Clock& clock;
  db::Database& db;
  http::Router& router;
  http::ResponseCache& cache;
  http::EventStreams& streams;  // open Server-Sent Events responses, to wake on news
  const web::Renderer& renderer;
  const http::StaticFiles& statics;
  std::vector<std::unique_ptr<ModuleState>>& states;
  SecurityServices& security;
  const regions::Directory& regions;  // the Kemendagri region-code table
  notify::Outbox& outbox;             // messages to people (email, SMS)
  std::vector<Job>& jobs;
  std::vector<Gauge>& gauges;
};

}  // namespace balai::app
