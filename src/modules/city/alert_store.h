#pragma once
// SQL of the city's alerts (migration 004_alerts): the rules, the alerts they raised and the
// citizens who watch a district. Writes take the caller's transaction so that an alert commits
// with its audit entry and its messages; reads use the database's readers.
// Thread-safe; blocks.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "modules/city/alert_service.h"
#include "modules/city/model.h"

namespace balai::city {

// An alert with what only the service needs: the entity's scope and the agency handling it.
struct StoredAlert {
  AlertRecord record;
  Scope scope;
  std::string agency;  // the agency of the entity's device ("" : administrators only)
};

// An entity as alerts name it: its scope, id and type.
struct AlertEntity {
  Scope scope;
  std::string id;
  std::string type;
  bool operator==(const AlertEntity&) const = default;
};

// What the database knows about an entity when an alert is raised.
struct EntityFacts {
  std::optional<int64_t> key;  // its row (none when it was deleted meanwhile)
  std::string agency;          // of its first active device
};

class AlertStore {
 public:
  explicit AlertStore(db::Database& db) : db_(db) {}

  // --- Rules ---
  // Every rule, in the administrators' order.
  [[nodiscard]] core::Result<std::vector<StoredRule>> rules() const;
  // Replaces every rule with these, in this order, inside `conn`.
  [[nodiscard]] core::Status replace_rules(db::Connection& conn,
                                           const std::vector<StoredRule>& rules,
                                           core::Timestamp now) const;

  // --- Alerts ---
  [[nodiscard]] core::Result<EntityFacts> entity_facts(db::Connection& conn,
                                                       const AlertEntity& entity) const;
  // Inserts an open alert under a new random key unless the rule already has an open alert for
  // the entity (another instance raised it): then nullopt and nothing is written.
  [[nodiscard]] core::Result<std::optional<int64_t>> insert(
      db::Connection& conn, const StoredAlert& alert, std::optional<int64_t> entity_key) const;
  // The open alert (active or acknowledged) of a rule for an entity, locked for the transaction.
  [[nodiscard]] core::Result<std::optional<StoredAlert>> open_for_update(
      db::Connection& conn, std::string_view rule_id, const AlertEntity& entity) const;
  [[nodiscard]] core::Result<std::optional<StoredAlert>> find_for_update(db::Connection& conn,
                                                                         int64_t key) const;
  // Sets the status of an alert with its time, staff account (`by` 0: none) and the note it
  // keeps from now on.
  [[nodiscard]] core::Status set_status(db::Connection& conn, int64_t key, std::string_view status,
                                        core::Timestamp at, int64_t by,
                                        std::string_view note) const;
  [[nodiscard]] core::Result<std::optional<StoredAlert>> find(int64_t key) const;
  // Open alerts (active or acknowledged), newest first.
  [[nodiscard]] core::Result<std::vector<StoredAlert>> open(bool public_only) const;
  // Alerts by status, newest first, at most `limit`; of one agency unless `agency` is nullopt.
  [[nodiscard]] core::Result<std::vector<StoredAlert>> list(
      AlertStatusFilter filter, const std::optional<std::string>& agency, size_t limit) const;

  // --- Citizens' districts ---
  [[nodiscard]] core::Result<std::vector<std::string>> districts_of(int64_t account_key) const;
  // False when the account already watches the district.
  [[nodiscard]] core::Result<bool> add_watch(int64_t account_key, std::string_view district,
                                             core::Timestamp now) const;
  // False when the account did not watch the district.
  [[nodiscard]] core::Result<bool> remove_watch(int64_t account_key,
                                                std::string_view district) const;
  // External ids of the accounts that watch a district.
  [[nodiscard]] core::Result<std::vector<std::string>> watchers(std::string_view district) const;

 private:
  db::Database& db_;
};

}  // namespace balai::city
