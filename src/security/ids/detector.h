#pragma once
// Intrusion detection (DESIGN.md, security model): rules over the stream of security
// observations (failed and successful sign-ins, 403/404 answers, WAF hits, staff reads of
// personal data) that report password guessing, credential stuffing, scanning, attacks the WAF
// caught, a staff account reading unusually many citizens' records, and a staff sign-in from a
// new network. Pure and in memory: the caller turns findings into security events, alerts to
// administrators and, where `ban_source` is set and configured, bans.
//
// Each rule counts events per key (an account or a client address) in a sliding window: an
// event at t is inside the window at `now` while now - t < window. A finding is reported when
// an observation brings its count to the threshold or beyond, then not again for the same
// (type, key) for quiet_ms unless its severity is higher (no alert storms, but an escalation
// always gets through).
//
// Memory is bounded whatever arrives: at most max_tracked_keys keys, each holding at most twice
// each threshold of timestamps and 64-bit keyed hashes (never the texts: an account or subject
// is remembered only as a hash). A key whose windows and quiet periods have all passed is the
// same as an unknown key and is dropped (a few on each call). When full, a new key evicts the
// least recently touched key, which forgets its counts: a flood of fresh addresses (IPv6 makes
// them cheap) can hide a slow attack from one address, so size the bound well above the keys
// active within the longest window, and rely on the rate limiter and ban list for volume.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace balai::security::ids {

enum class Severity { info, low, medium, high, critical };

// "info", "low", "medium", "high", "critical": stable, stored with security events.
std::string_view to_string(Severity severity);

enum class ObservationKind {
  login_failed,
  login_succeeded,
  http_refused,  // a 403 or 404 answer
  waf_hit,
  personal_data_read,
};

// One thing the server saw. Built by the caller from data it already has; holds no personal
// data beyond opaque keys.
struct Observation {
  ObservationKind kind = ObservationKind::login_failed;
  core::Timestamp at;
  // The client address after trusted proxies, e.g. "203.0.113.7"; "" when unknown (the
  // address rules then ignore the observation).
  std::string source;
  // An opaque account key: the external id, or a keyed hash of the login name typed (never the
  // name itself, which may be a password typed in the wrong field); "" if none.
  std::string account;
  bool staff = false;   // the account is staff (officer, supervisor, admin, auditor)
  int status = 0;       // http_refused: 403 or 404; any other status is ignored
  std::string subject;  // personal_data_read: the citizen's external id
  // login_succeeded by staff: false when the caller found the source's network new for this
  // account.
  bool known_network = true;
  std::vector<int> rule_ids;  // waf_hit: the rules that matched
};

// Finding types: stable, stored with security events and matched by alert settings.
inline constexpr std::string_view kPasswordGuessing = "password_guessing";
inline constexpr std::string_view kCredentialStuffing = "credential_stuffing";
inline constexpr std::string_view kScanning = "scanning";
inline constexpr std::string_view kWafAttack = "waf_attack";
inline constexpr std::string_view kMassDataAccess = "mass_data_access";
inline constexpr std::string_view kStaffNewNetwork = "staff_new_network";

struct Finding {
  std::string type;  // one of the k* types above
  Severity severity = Severity::info;
  // The key the finding is about: the source for credential_stuffing, scanning and waf_attack;
  // the account for password_guessing and mass_data_access; both for staff_new_network.
  // The other field is "".
  std::string source;
  std::string account;
  // Short English text with counts only, e.g. "12 failed sign-ins for one account in 10 min";
  // never an address, an account key or personal data (those go in their own fields, or
  // nowhere).
  std::string detail;
  bool ban_source = false;  // the caller should ban the source address
  core::Timestamp at;       // the observation that completed the finding
};

// Defaults chosen for a city portal: a few thousand staff, citizens who sign in a few times a
// month, and many people behind one carrier-grade NAT.
struct Thresholds {
  // Failed sign-ins for one account from any sources -> high, no ban: a person mistyping makes
  // three or four, a guesser hundreds. The account itself is throttled by the ban list, and a
  // guesser may rotate addresses, so banning the last one would only hit the next NAT user.
  int guessing_failures = 10;
  int64_t guessing_window_ms = 10 * 60 * 1000;
  // Distinct accounts failing from one address -> high, ban: one household or office shares an
  // address but rarely mistypes five different accounts in ten minutes; a stuffing list does.
  int stuffing_accounts = 5;
  int64_t stuffing_window_ms = 10 * 60 * 1000;
  // 403/404 answers to one address -> medium, ban: a person following stale links gets a few;
  // a scanner probing paths gets hundreds a minute.
  int scanning_refusals = 30;
  int64_t scanning_window_ms = 60 * 1000;
  // Every WAF hit -> waf_attack (medium), then at most once per quiet period per address; this
  // many hits in the window -> high, ban: one hit may be a false positive of the rule set,
  // three are a pattern.
  int waf_hits_for_ban = 3;
  int64_t waf_window_ms = 10 * 60 * 1000;
  // Distinct citizens whose records one staff account read -> high, no ban: a busy officer
  // handles a few dozen cases an hour; more is worth a supervisor's look, but the staff member
  // may be legitimately busy, so nobody is locked out automatically.
  int staff_reads = 60;
  int64_t staff_read_window_ms = 60 * 60 * 1000;
  // (staff_new_network has no threshold: every staff sign-in with known_network == false is
  // reported, medium, no ban; the person may be travelling.)
  // After a finding of a type for a key, the same (type, key) is not reported again at the
  // same or a lower severity within this time: one alert per incident, not one per request.
  int64_t quiet_ms = 10 * 60 * 1000;
  // Upper bound on keys held (split evenly over the shards, rounded down); at least kShards.
  size_t max_tracked_keys = 100'000;
};

// Thresholds 1 to 10,000; windows 1 ms to 30 days; quiet_ms 0 to 30 days; max_tracked_keys at
// least Detector::kShards. validation_failed naming each field out of range.
[[nodiscard]] core::Status validate(const Thresholds& thresholds);

// Thread-safe: keys are split over kShards shards by a keyed hash, each with its own lock, so
// worker threads rarely meet. observe() never blocks beyond those short locks, does no I/O and
// costs O(1) amortized (bounded by the thresholds, not by the stream); safe on any thread.
class Detector {
 public:
  static constexpr size_t kShards = 16;

  // Thresholds that fail validate() are a bug (the configuration loader validates them):
  // std::invalid_argument. Draws fresh hash keys, so keys are not comparable across instances.
  explicit Detector(Thresholds thresholds = {});
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  // Feeds one observation; returns the findings it completes (usually none, at most two).
  // Observations may arrive slightly out of order from different threads: a window ends at the
  // newest event held for its key, and an event already outside it is not counted. A
  // login_succeeded does not reset the failure count of its account: an attacker who guesses
  // right after many tries is the case to report, and the owner signing in meanwhile must not
  // hide an ongoing attack (a throttle may reset on success; an alarm must not).
  std::vector<Finding> observe(const Observation& observation);

  // Keys held (accounts and addresses), over all shards; at most max_tracked_keys.
  size_t tracked_keys() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace balai::security::ids
