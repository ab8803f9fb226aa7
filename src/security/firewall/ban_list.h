#pragma once
// fail2ban-style bans (DESIGN.md, security model: firewall): a key (a client address, an
// account) that fails too often within a sliding window is banned for a while, longer each
// time it comes back. Requests from a banned address are answered 429 with Retry-After until
// the ban ends. Intrusion detection may ban keys through the same list.
//
// Memory is bounded: a key with no failures in the window, no active ban and no offence still
// remembered is the same as an unknown key and is dropped (a few on each call, all in sweep()).
// At most `max_keys` keys are held; when a shard is full, a new key evicts the least recently
// touched key that is not banned among the oldest few, or failing that the least recently
// touched key. Filling the list takes max_failures failures per key for it to hold only bans,
// which the rate limiter slows down; give addresses and accounts separate lists so that
// failures on random account names cannot push an address's ban out.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace balai::security::firewall {

struct BanSettings {
  int max_failures = 5;                             // failures within the window that start a ban
  int64_t window_ms = 10 * 60 * 1000;               // sliding window over failures
  int64_t first_ban_ms = 10 * 60 * 1000;            // length of a first ban; doubles on each repeat
  int64_t max_ban_ms = 24 * 60 * 60 * 1000;         // cap on the length of a ban
  int64_t offence_memory_ms = 24 * 60 * 60 * 1000;  // a ban this long past the previous one's
                                                    // end counts as a first offence again
  size_t max_keys = 65'536;                         // upper bound on keys held
};

struct Ban {
  std::string key;
  core::Timestamp until;  // the ban ends at this moment
  int offences = 0;       // bans of this key still remembered, this one included
};

// Thread-safe: keys are split over kShards shards by a keyed hash, each with its own lock.
// Never blocks beyond those short locks; safe on the I/O thread.
class BanList {
 public:
  static constexpr size_t kShards = 16;

  // validation_failed naming the setting when one is out of range (max_failures 1 to 1000,
  // positive durations, max_ban_ms >= first_ban_ms, max_keys >= kShards).
  [[nodiscard]] static core::Result<std::unique_ptr<BanList>> create(BanSettings settings);
  ~BanList();
  BanList(const BanList&) = delete;
  BanList& operator=(const BanList&) = delete;

  // Counts a failure (a wrong password, a bad token) against `key`. When it is the
  // max_failures-th within the window, the key is banned: first_ban_ms for a first offence,
  // twice the previous ban for a repeat, capped at max_ban_ms; the ban is returned so the
  // caller can record a security event. A failure while the key is already banned changes
  // nothing (the caller should not have let the request through).
  std::optional<Ban> record_failure(std::string_view key, core::Timestamp now);

  // Bans the key at once, as if it had just reached max_failures (intrusion detection, an
  // administrator); the length grows with its offences the same way. An active ban is returned
  // unchanged.
  Ban ban(std::string_view key, core::Timestamp now);

  // Clears the key's failure window (a correct password after a typo). An active ban and the
  // offence history stay.
  void record_success(std::string_view key);

  // When the key is banned at `now`, the end of its ban.
  std::optional<core::Timestamp> banned_until(std::string_view key, core::Timestamp now) const;

  // Forgets the key entirely (an administrator's decision): its ban, failures and offence
  // history. Returns whether anything was known about it.
  bool lift(std::string_view key);

  // The bans active at `now`, by key; for the admin console.
  std::vector<Ban> list(core::Timestamp now) const;

  // Drops every key with nothing left to remember at `now`; returns how many. For a periodic
  // timer; the other calls already drop a few.
  size_t sweep(core::Timestamp now);

  // Keys held.
  size_t size() const;

 private:
  struct State;
  explicit BanList(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace balai::security::firewall
