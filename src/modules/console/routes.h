#pragma once
// Internal to the console module: its route table and the state it keeps.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "app/app.h"
#include "core/result.h"
#include "core/time.h"
#include "http/request.h"
#include "http/response.h"
#include "security/actor.h"
#include "security/audit.h"

namespace balai::catalog {
class CatalogService;
}

namespace balai::console {

// One run of the audit chain's verification from the console.
struct AuditRun {
  security::AuditVerification result;
  core::Timestamp at;
  std::string by;  // external id of the account that ran it
};

// What the console remembers between requests: the last verification of the audit log (it
// reads the whole log, so it runs on request, not on every view of the overview). Per process:
// another instance has its own, and a restart forgets it ("never verified"). Thread-safe.
class ConsoleState : public app::ModuleState {
 public:
  void record_audit_run(AuditRun run);
  std::optional<AuditRun> last_audit_run() const;

 private:
  mutable std::mutex mutex_;  // guards last_audit_run_
  std::optional<AuditRun> last_audit_run_;
};

void install_pages(app::App& app, ConsoleState& state);
void install_token_pages(app::App& app);
// The agencies (OPD) of the catalog and the staff accounts; `catalog` outlives the routes.
void install_agency_pages(app::App& app, catalog::CatalogService& catalog);
void install_staff_pages(app::App& app, const catalog::CatalogService& catalog);

// What the console's handlers share.

// Registers a console route whose every answer, refusals included, is marked
// Cache-Control: no-store (the pages are personal and show security state).
void add_route(app::App& app, http::Method method, std::string_view pattern,
               std::function<http::Response(http::Request&)> handler, uint64_t body_limit = 0);

// The actor of `req` when the policy grants them `action` (any resource); unauthenticated or
// forbidden otherwise (a refusal of a signed-in actor reaches intrusion detection).
[[nodiscard]] core::Result<const security::Actor*> permitted(app::App& app,
                                                             const http::Request& req,
                                                             std::string_view action);
// Whether the actor's role holds `action`, to show or hide a button. Not a refusal: unlike
// permitted() it tells intrusion detection nothing, so browsing never looks like an attack.
bool may(const app::App& app, const security::Actor& actor, std::string_view action);
// The answer to a refused request: to the sign-in page when nobody is signed in (back to the
// page asked for), the error page otherwise.
http::Response refused(app::App& app, const http::Request& req, const core::Error& error);

// A catalog text in the request's language.
std::string text(const app::App& app, const http::Request& req, std::string_view key);
// A time as the city shows it (ISO-8601 with the city's offset).
std::string local_time(const app::App& app, core::Timestamp at);

}  // namespace balai::console
