#pragma once
// SQL of NGSI-v2 subscriptions (table city_subscriptions, migration 002): the definition as the
// API's JSON (subscription_json), the status and the delivery counters in columns of their own
// so that the notifier's flush updates them without reading the row. Writes take the caller's
// transaction (the audit entry commits with the change); reads use the database's readers.
// Thread-safe; blocks.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "db/database.h"
#include "modules/city/notifier.h"
#include "modules/city/subscriptions.h"

namespace balai::city {

class SubscriptionStore {
 public:
  explicit SubscriptionStore(db::Database& db) : db_(db) {}

  // --- Reads ---
  // The subscription with this public id in the service; nullopt when there is none.
  [[nodiscard]] core::Result<std::optional<Subscription>> find(std::string_view service,
                                                               std::string_view id) const;
  // The subscriptions of a service in the order of their creation; only those of `owner` unless
  // it is empty.
  [[nodiscard]] core::Result<std::vector<Subscription>> list(std::string_view service,
                                                             std::string_view owner) const;
  // Every subscription of every service (the notifier's registry). A row whose definition no
  // longer parses is skipped and logged.
  [[nodiscard]] core::Result<std::vector<Subscription>> all() const;

  // --- Writes (in the caller's transaction) ---
  // Inserts and returns the key (the counters start at zero).
  [[nodiscard]] core::Result<int64_t> insert(db::Connection& conn, const Subscription& s) const;
  // Writes the definition and status; `clear_failures` zeroes failsCounter too (set active).
  [[nodiscard]] core::Status update(db::Connection& conn, const Subscription& s,
                                    bool clear_failures) const;
  [[nodiscard]] core::Status remove(db::Connection& conn, int64_t key) const;

  // Adds what the notifier counted since the last flush, in one transaction of its own. Rows
  // deleted meanwhile are skipped. Several instances flush into the same rows: sums add up and
  // the latest times win.
  [[nodiscard]] core::Status flush(const std::vector<CounterDelta>& deltas) const;

 private:
  [[nodiscard]] core::Result<std::vector<Subscription>> select(std::string_view where,
                                                               const db::Params& params) const;
  db::Database& db_;
};

}  // namespace balai::city
