#pragma once
// The city module's use cases: the context (NGSI-v2 entities and their attributes) read and
// written by devices, integrators and administrators; sensor readings from MQTT and HTTP;
// devices registered with their credentials. Every way in ends in apply(): one transaction per
// request or batch that checks each attribute against its type's physical range, writes the
// entities' new state and one history row per changed attribute, then tells the listeners
// (live streams, subscriptions, alerts, other instances) what changed.
// Thread-safe; every method blocks on the database: worker threads only.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "modules/city/model.h"
#include "modules/city/rules.h"
#include "modules/city/store.h"
#include "security/actor.h"

namespace balai::city {

// How an update treats the attributes it carries (NGSI-v2's update verbs and batch actions).
enum class UpdateMode {
  append,         // POST .../attrs, actionType append: add new, overwrite existing
  append_strict,  // options=append / appendStrict: add new only; an existing one is an error
  update,         // PATCH .../attrs, actionType update: existing only; a missing one is an error
  replace,        // PUT .../attrs, actionType replace: the entity's attributes become these
  remove,         // actionType delete: delete the listed attributes (none listed: the entity)
};

// One entity's part of a write.
struct EntityChange {
  std::string id;
  std::string type;  // empty: the entity's one type (an update) or "Thing" (a creation)
  std::map<std::string, Attribute> attrs;
  // When the values were observed (readings); 0: now.
  int64_t observed_ms = 0;
};

// What one write did, for the listeners.
struct Changed {
  Entity entity;                   // the state after the write
  std::vector<std::string> attrs;  // the attributes that changed (empty: deleted entity)
  bool created = false;
  bool deleted = false;
};

// Counts of readings refused, by reason (RejectReason's names); for /metrics and the bench.
struct IngestCounts {
  int64_t accepted = 0;
  std::map<std::string, int64_t> rejected;
};

// The answer to a batch of readings: how many were stored, and why the others were not.
struct IngestReport {
  int64_t accepted = 0;
  struct Refused {
    size_t index = 0;  // position in the batch
    std::string reason;
    std::string message;
  };
  std::vector<Refused> refused;
};

// Readings a device published over MQTT: the broker authenticated it as `device_id` (its MQTT
// user name) and its ACL let it publish to its own topic only.
struct DeviceReadings {
  std::string device_id;
  std::vector<Reading> readings;
};

// A device the broker lets in: its user name and its password-file line (PBKDF2 of its token).
struct BrokerUser {
  std::string device_id;
  std::string password_line;
};

struct NewDevice {
  std::string device_id;  // MQTT user name and public id
  std::string token;      // HTTP bearer token and MQTT password; shown once
  std::string entity_id;
  std::string entity_type;
};

class ContextService : public app::ModuleState {
 public:
  explicit ContextService(app::App& app);
  ~ContextService() override;
  ContextService(const ContextService&) = delete;
  ContextService& operator=(const ContextService&) = delete;

  // --- Reads (public for public entity types; callers check) ---
  [[nodiscard]] core::Result<std::optional<Entity>> find(std::string_view service,
                                                         const PathFilter& paths,
                                                         std::string_view id,
                                                         std::string_view type = {}) const;
  [[nodiscard]] core::Result<std::vector<StoredEntity>> candidates(
      std::string_view service, const PathFilter& paths, const std::vector<std::string>& types,
      const std::vector<std::string>& ids) const;
  [[nodiscard]] core::Result<std::vector<TypeSummary>> types(std::string_view service,
                                                             const PathFilter& paths) const;

  // --- Writes ---
  // Creates an entity. conflict (422 "Already Exists") when it exists, unless `upsert`: then its
  // attributes are appended. Returns whether it was created.
  [[nodiscard]] core::Result<bool> create(const security::Actor& actor, const Scope& scope,
                                          const EntityChange& change, bool upsert);
  // Applies one change per entity in one transaction (a batch: all or nothing). not_found for
  // an entity that does not exist (except append, which creates it), validation_failed for an
  // attribute outside its type's range, forbidden for a device writing another's entity.
  [[nodiscard]] core::Status apply(const security::Actor& actor, const Scope& scope,
                                   const std::vector<EntityChange>& changes, UpdateMode mode);
  // apply() without a thread waiting for the commit: `done` gets its result, on the database's
  // writing thread right after the group commit (SQLite; on the calling thread for
  // PostgreSQL, or when the request is refused before writing). The listeners hear of the
  // change first, on that same thread. `done` must be quick (a request's answer handed back).
  void apply_async(const security::Actor& actor, const Scope& scope,
                   std::vector<EntityChange> changes, UpdateMode mode,
                   std::function<void(core::Status)> done);
  // Deletes an entity (and its history). not_found when it does not exist.
  [[nodiscard]] core::Status remove(const security::Actor& actor, const Scope& scope,
                                    std::string_view id, std::string_view type);

  // Sensor readings (MQTT, HTTP batch): each is checked alone; the accepted ones are stored in
  // one transaction, the others counted by reason and reported. A device may only send readings
  // for its own entity (unknown_entity otherwise).
  [[nodiscard]] core::Result<IngestReport> ingest(const security::Actor& actor,
                                                  const std::vector<Reading>& readings);
  // MQTT ingestion: the readings of many devices in one transaction, each device limited to its
  // own entity as in ingest(); a device unknown or revoked has all its readings refused
  // (unknown_entity). The messages of one device are applied together (its entity written
  // once, one change for the listeners). One report per batch, in order. The readings are
  // moved out of `batches` (the MQTT worker's own; nothing is copied on the way in).
  [[nodiscard]] core::Result<std::vector<IngestReport>> ingest_devices(
      std::vector<DeviceReadings> batches);
  // The entity id a device (by its MQTT user name) writes; nullopt when unknown or revoked.
  // Cached for kDeviceCacheMs: a revocation reaches MQTT ingestion within that time (the broker,
  // told at once, refuses the device's next connection).
  [[nodiscard]] core::Result<std::optional<std::string>> device_entity(
      std::string_view device_id) const;
  // Counts a reading refused before it reached ingest (a malformed MQTT payload).
  void count_refused(std::string_view reason, int64_t n = 1) { count(reason, n); }
  IngestCounts counts() const;

  // --- Devices ---
  // Registers a device for an entity (created, with no attributes yet, when missing) and
  // returns its credentials once. validation_failed for an unknown type or a bad entity id.
  [[nodiscard]] core::Result<NewDevice> add_device(std::string_view type,
                                                   std::string_view entity_id,
                                                   std::string_view agency);

  // Revokes a device: its bearer token and its broker access (the caller rewrites the broker's
  // files). not_found when unknown or already revoked.
  [[nodiscard]] core::Status revoke_device(std::string_view device_id);
  // The devices the broker lets in (not revoked), in the order of registration.
  [[nodiscard]] core::Result<std::vector<BrokerUser>> broker_users() const;

  // Called after each committed write, on the writing thread; must not block for long.
  using Listener = std::function<void(const std::vector<Changed>&)>;
  void listen(Listener listener);

 private:
  struct DeviceGrant {
    int64_t entity_key = 0;
    std::string entity_id;
    std::string entity_type;
    int64_t cached_ms = 0;  // when it was read (the MQTT name cache expires)
  };
  static constexpr int64_t kDeviceCacheMs = 60'000;
  // The entity a device token may write, cached (devices write often; revoking a device revokes
  // its token, which authentication checks on every request).
  [[nodiscard]] core::Result<std::optional<DeviceGrant>> device_grant(
      const security::Actor& actor) const;
  [[nodiscard]] core::Result<std::optional<DeviceGrant>> device_grant_by_name(
      std::string_view device_id) const;
  // The accepted readings of one writer (a device's grant, or none for an integrator) inside
  // the caller's transaction: entities updated, refused ones reported, changes and history
  // points collected (the caller appends the points).
  [[nodiscard]] core::Status ingest_group(db::Connection& conn,
                                          const std::optional<DeviceGrant>& grant,
                                          const std::vector<Reading>& readings, core::Timestamp now,
                                          IngestReport& report, std::vector<Changed>& changed,
                                          HistoryBatch& history);
  [[nodiscard]] core::Status authorize_write(const security::Actor& actor,
                                             const StoredEntity* target) const;
  [[nodiscard]] core::Status check_attributes(const std::string& type,
                                              const std::map<std::string, Attribute>& attrs,
                                              int64_t observed_ms) const;
  // apply()'s transaction: the changes made go to `changed`.
  core::Status apply_in(db::Connection& conn, const security::Actor& actor, const Scope& scope,
                        const std::vector<EntityChange>& changes, UpdateMode mode,
                        std::vector<Changed>& changed);
  // After a commit that appended `history_rows` history rows: tells the listeners, then rolls
  // the history up when it is due. Quick: may run on the database's writing thread.
  void committed(const std::vector<Changed>& changed, int64_t history_rows);
  void notify(const std::vector<Changed>& changed) const;
  // New history rows wait in city_history_incoming (history_store.h) until a roll-up moves
  // them. The housekeeping job does it every minute; under a heavy write load the roll-up
  // thread does it too, woken once about config.sensors.history_rollup_rows have arrived, so
  // that the incoming rows, which readers scan without an index, stay few. Never on the
  // committing thread: that may be the database's writer, and no request waits for it.
  void roll_up_when_due(int64_t new_rows);
  void roll_up_loop();
  void count(std::string_view reason, int64_t n = 1);

  app::App& app_;
  Store store_;
  std::vector<Listener> listeners_;  // registered at install, then only read
  mutable std::mutex devices_mutex_;
  mutable std::map<std::string, DeviceGrant, std::less<>> devices_;          // token id -> grant
  mutable std::map<std::string, DeviceGrant, std::less<>> devices_by_name_;  // MQTT user -> grant
  mutable std::mutex counts_mutex_;
  IngestCounts counts_;
  std::atomic<int64_t> rows_since_roll_up_{0};
  std::mutex roll_up_mutex_;  // guards roll_up_due_ and stopping_
  std::condition_variable roll_up_wake_;
  bool roll_up_due_ = false;
  bool stopping_ = false;
  std::thread roll_up_thread_;  // last: starts when everything above is ready
};

// Who reads the entity types that are not public (panic buttons): devices, integrators and
// staff; citizens and anonymous callers see the public types only. One rule for NGSI-v2, the
// live stream and the dashboard.
bool sees_private_types(const security::Actor* actor);

// The installed service (city::install must have run).
ContextService& service_of(app::App& app);

// The message of the conflict create() answers for an existing entity: NGSI-v2 turns it into
// 422 Unprocessable (other conflicts are 409 TooManyResults).
inline constexpr std::string_view kAlreadyExists = "Already Exists";

// The policy's actions.
inline constexpr std::string_view kContextWrite = "city.context.write";
inline constexpr std::string_view kDevicesManage = "city.devices.manage";

}  // namespace balai::city
