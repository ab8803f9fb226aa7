#pragma once
// Internal to the alert service: the message a citizen watching a district gets when an alert
// is raised there or resolved (Bahasa Indonesia first, then English: accounts carry no language
// preference), and queuing it in the outbox inside the alert's own transaction, so a message
// leaves if and only if the alert committed.

#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "modules/city/alert_store.h"

namespace balai::city {

struct AlertNotice {
  std::string subject;
  std::string body;
  std::string kind;  // "city.alert_raised" / "city.alert_resolved"
};

// The email about `alert` (raised, or resolved when its status says so). `district_name`: the
// kecamatan's name ("" unknown); `link`: where the city's live alerts are shown.
AlertNotice compose_notice(const StoredAlert& alert, std::string_view district_name,
                           std::string_view link, core::Zone zone);

// The email addresses of the active accounts watching the alert's district (none without a
// district). Blocks on the database; call it before the transaction that writes the alert.
[[nodiscard]] core::Result<std::vector<std::string>> watcher_addresses(app::App& app,
                                                                       const AlertStore& store,
                                                                       std::string_view district);

// Queues the notice about `alert` to each address inside `conn`. Call app.outbox.wake() after
// the transaction commits.
[[nodiscard]] core::Status queue_notices(app::App& app, db::Connection& conn,
                                         const StoredAlert& alert,
                                         const std::vector<std::string>& addresses);

}  // namespace balai::city
