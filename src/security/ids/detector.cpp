#include "security/ids/detector.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>

#include "security/ids/detail/track_table.h"

namespace balai::security::ids {
namespace {

constexpr int kMaxThreshold = 10'000;
constexpr int64_t kMaxWindowMs = 30LL * 24 * 60 * 60 * 1000;
// Windows keep up to this many times the threshold, so a detail can say "at least 20" when an
// attack runs on past the threshold, without unbounded growth.
constexpr size_t kCapPerThreshold = 2;
// Rule ids a waf_attack detail names; the rest are in the WAF's own log.
constexpr size_t kRuleIdsInDetail = 5;

// SipHash-2-4 (libsodium's crypto_shorthash) with a key drawn at start-up. Sources, accounts
// and subjects are attacker-chosen text: an unkeyed hash would let them aim every key at one
// shard and one hash chain, or make two accounts collide in a distinct count.
class KeyedHash {
 public:
  KeyedHash() {
    // Idempotent and thread-safe; needed before randombytes_buf.
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    randombytes_buf(key_.data(), key_.size());
  }
  uint64_t operator()(std::string_view text) const {
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     key_.data());
    uint64_t value = 0;
    for (unsigned char byte : out) value = (value << 8) | byte;
    return value;
  }

 private:
  std::array<unsigned char, crypto_shorthash_KEYBYTES> key_{};
};
static_assert(crypto_shorthash_BYTES == 8);

std::string format_window(int64_t ms) {
  if (ms % (60 * 60 * 1000) == 0) return std::to_string(ms / (60 * 60 * 1000)) + " h";
  if (ms % (60 * 1000) == 0) return std::to_string(ms / (60 * 1000)) + " min";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

// "12", or "at least 20" when the window is full and more may have been dropped.
std::string format_count(size_t count, size_t cap) {
  return (count >= cap ? "at least " : "") + std::to_string(count);
}

size_t cap_for(int threshold) {
  return kCapPerThreshold * static_cast<size_t>(threshold);
}

}  // namespace

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info:
      return "info";
    case Severity::low:
      return "low";
    case Severity::medium:
      return "medium";
    case Severity::high:
      return "high";
    case Severity::critical:
      return "critical";
  }
  return "unknown";
}

core::Status validate(const Thresholds& t) {
  core::Error e{
      core::ErrorCode::validation_failed, "the intrusion detection thresholds are invalid", {}};
  const auto threshold = [&](const char* field, int value) {
    if (value < 1 || value > kMaxThreshold) e.fields[field] = "must be 1 to 10000";
  };
  const auto window = [&](const char* field, int64_t ms, int64_t min) {
    if (ms < min || ms > kMaxWindowMs)
      e.fields[field] = "must be " + std::to_string(min) + " to 2592000000 ms (30 days)";
  };
  threshold("guessing_failures", t.guessing_failures);
  window("guessing_window_ms", t.guessing_window_ms, 1);
  threshold("stuffing_accounts", t.stuffing_accounts);
  window("stuffing_window_ms", t.stuffing_window_ms, 1);
  threshold("scanning_refusals", t.scanning_refusals);
  window("scanning_window_ms", t.scanning_window_ms, 1);
  threshold("waf_hits_for_ban", t.waf_hits_for_ban);
  window("waf_window_ms", t.waf_window_ms, 1);
  threshold("staff_reads", t.staff_reads);
  window("staff_read_window_ms", t.staff_read_window_ms, 1);
  window("quiet_ms", t.quiet_ms, 0);
  if (t.max_tracked_keys < Detector::kShards)
    e.fields["max_tracked_keys"] = "must be at least " + std::to_string(Detector::kShards);
  if (!e.fields.empty()) return e;
  return {};
}

struct Detector::State {
  explicit State(Thresholds t) : thresholds(t), tracks(t.max_tracked_keys) {}

  // Whether a finding is reported (and if so remembers it): not when the same type was
  // reported for the key within quiet_ms at the same or a higher severity.
  bool report(detail::Track& track, detail::Rule rule, Severity severity,
              core::Timestamp at) const {
    detail::Reported& last = track.reported[static_cast<size_t>(rule)];
    if (last.ever && at.ms - last.at_ms < thresholds.quiet_ms && severity <= last.severity)
      return false;
    last = detail::Reported{true, at.ms, severity};
    track.forget_at_ms = std::max(track.forget_at_ms, at.ms + thresholds.quiet_ms);
    return true;
  }

  std::optional<Finding> guessing(const Observation& o);
  std::optional<Finding> stuffing(const Observation& o);
  std::optional<Finding> scanning(const Observation& o);
  std::optional<Finding> waf_attack(const Observation& o);
  std::optional<Finding> mass_data_access(const Observation& o);
  std::optional<Finding> staff_new_network(const Observation& o);

  const Thresholds thresholds;
  // Separate keys for addresses and accounts, so that an address and an account with the same
  // text are different keys; members have their own as they never meet the shard map.
  const KeyedHash source_hash;
  const KeyedHash account_hash;
  const KeyedHash member_hash;
  detail::TrackTable tracks;
};

static_assert(Detector::kShards == detail::TrackTable::kShards);

std::optional<Finding> Detector::State::guessing(const Observation& o) {
  if (o.account.empty()) return std::nullopt;
  const Thresholds& t = thresholds;
  return tracks.with(
      account_hash(o.account), o.at, [&](detail::Track& track) -> std::optional<Finding> {
        const size_t cap = cap_for(t.guessing_failures);
        const size_t count = track.failed_logins.add(o.at, t.guessing_window_ms, cap);
        track.forget_at_ms = std::max(track.forget_at_ms, o.at.ms + t.guessing_window_ms);
        if (count < static_cast<size_t>(t.guessing_failures) ||
            !report(track, detail::Rule::password_guessing, Severity::high, o.at))
          return std::nullopt;
        return Finding{.type = std::string(kPasswordGuessing),
                       .severity = Severity::high,
                       .account = o.account,
                       .detail = format_count(count, cap) + " failed sign-ins for one account in " +
                                 format_window(t.guessing_window_ms),
                       .at = o.at};
      });
}

std::optional<Finding> Detector::State::stuffing(const Observation& o) {
  if (o.source.empty() || o.account.empty()) return std::nullopt;
  const Thresholds& t = thresholds;
  const uint64_t member = member_hash(o.account);
  return tracks.with(
      source_hash(o.source), o.at, [&](detail::Track& track) -> std::optional<Finding> {
        const size_t cap = cap_for(t.stuffing_accounts);
        const size_t count = track.failed_accounts.add(member, o.at, t.stuffing_window_ms, cap);
        track.forget_at_ms = std::max(track.forget_at_ms, o.at.ms + t.stuffing_window_ms);
        if (count < static_cast<size_t>(t.stuffing_accounts) ||
            !report(track, detail::Rule::credential_stuffing, Severity::high, o.at))
          return std::nullopt;
        return Finding{.type = std::string(kCredentialStuffing),
                       .severity = Severity::high,
                       .source = o.source,
                       .detail = "failed sign-ins for " + format_count(count, cap) +
                                 " accounts from one address in " +
                                 format_window(t.stuffing_window_ms),
                       .ban_source = true,
                       .at = o.at};
      });
}

std::optional<Finding> Detector::State::scanning(const Observation& o) {
  // Other refusals (401, 429) have their own defences and say nothing about probing paths.
  if (o.source.empty() || (o.status != 403 && o.status != 404)) return std::nullopt;
  const Thresholds& t = thresholds;
  return tracks.with(
      source_hash(o.source), o.at, [&](detail::Track& track) -> std::optional<Finding> {
        const size_t cap = cap_for(t.scanning_refusals);
        const size_t count = track.refusals.add(o.at, t.scanning_window_ms, cap);
        track.forget_at_ms = std::max(track.forget_at_ms, o.at.ms + t.scanning_window_ms);
        if (count < static_cast<size_t>(t.scanning_refusals) ||
            !report(track, detail::Rule::scanning, Severity::medium, o.at))
          return std::nullopt;
        return Finding{.type = std::string(kScanning),
                       .severity = Severity::medium,
                       .source = o.source,
                       .detail = format_count(count, cap) +
                                 " refused requests (403/404) from one address in " +
                                 format_window(t.scanning_window_ms),
                       .ban_source = true,
                       .at = o.at};
      });
}

std::optional<Finding> Detector::State::waf_attack(const Observation& o) {
  if (o.source.empty()) return std::nullopt;
  const Thresholds& t = thresholds;
  return tracks.with(
      source_hash(o.source), o.at, [&](detail::Track& track) -> std::optional<Finding> {
        const size_t cap = cap_for(t.waf_hits_for_ban);
        const size_t count = track.waf_hits.add(o.at, t.waf_window_ms, cap);
        track.forget_at_ms = std::max(track.forget_at_ms, o.at.ms + t.waf_window_ms);
        const bool ban = count >= static_cast<size_t>(t.waf_hits_for_ban);
        const Severity severity = ban ? Severity::high : Severity::medium;
        if (!report(track, detail::Rule::waf_attack, severity, o.at)) return std::nullopt;
        std::string detail = format_count(count, cap) + (count == 1 ? " request" : " requests") +
                             " matched WAF rules from one address in " +
                             format_window(t.waf_window_ms);
        if (!o.rule_ids.empty()) {
          detail += " (latest: rules";
          const size_t shown = std::min(o.rule_ids.size(), kRuleIdsInDetail);
          for (size_t i = 0; i < shown; ++i) detail += " " + std::to_string(o.rule_ids[i]);
          if (shown < o.rule_ids.size())
            detail += " and " + std::to_string(o.rule_ids.size() - shown) + " more";
          detail += ")";
        }
        return Finding{.type = std::string(kWafAttack),
                       .severity = severity,
                       .source = o.source,
                       .detail = std::move(detail),
                       .ban_source = ban,
                       .at = o.at};
      });
}

std::optional<Finding> Detector::State::mass_data_access(const Observation& o) {
  // A citizen reading their own data is not counted; only staff reads are audited this way.
  if (!o.staff || o.account.empty() || o.subject.empty()) return std::nullopt;
  const Thresholds& t = thresholds;
  const uint64_t member = member_hash(o.subject);
  return tracks.with(
      account_hash(o.account), o.at, [&](detail::Track& track) -> std::optional<Finding> {
        const size_t cap = cap_for(t.staff_reads);
        const size_t count = track.subjects_read.add(member, o.at, t.staff_read_window_ms, cap);
        track.forget_at_ms = std::max(track.forget_at_ms, o.at.ms + t.staff_read_window_ms);
        if (count < static_cast<size_t>(t.staff_reads) ||
            !report(track, detail::Rule::mass_data_access, Severity::high, o.at))
          return std::nullopt;
        return Finding{.type = std::string(kMassDataAccess),
                       .severity = Severity::high,
                       .account = o.account,
                       .detail = format_count(count, cap) +
                                 " citizens' records read by one staff account in " +
                                 format_window(t.staff_read_window_ms),
                       .at = o.at};
      });
}

std::optional<Finding> Detector::State::staff_new_network(const Observation& o) {
  // Citizens sign in from wherever their phone is; only staff accounts reach many records.
  if (!o.staff || o.known_network || o.account.empty()) return std::nullopt;
  return tracks.with(
      account_hash(o.account), o.at, [&](detail::Track& track) -> std::optional<Finding> {
        if (!report(track, detail::Rule::staff_new_network, Severity::medium, o.at))
          return std::nullopt;
        return Finding{.type = std::string(kStaffNewNetwork),
                       .severity = Severity::medium,
                       .source = o.source,
                       .account = o.account,
                       .detail = "staff sign-in from a network not seen before for this account",
                       .at = o.at};
      });
}

Detector::Detector(Thresholds thresholds) {
  if (auto valid = validate(thresholds); !valid.ok()) {
    std::string message = valid.error().message + ":";
    for (const auto& [field, problem] : valid.error().fields)
      message += " " + field + " " + problem + ";";
    throw std::invalid_argument(message);
  }
  state_ = std::make_unique<State>(thresholds);
}

Detector::~Detector() = default;

std::vector<Finding> Detector::observe(const Observation& o) {
  std::vector<Finding> findings;
  const auto add = [&](std::optional<Finding> f) {
    if (f) findings.push_back(std::move(*f));
  };
  switch (o.kind) {
    case ObservationKind::login_failed:
      add(state_->guessing(o));
      add(state_->stuffing(o));
      break;
    case ObservationKind::login_succeeded:
      // Deliberately not a reset of the guessing count (see the header).
      add(state_->staff_new_network(o));
      break;
    case ObservationKind::http_refused:
      add(state_->scanning(o));
      break;
    case ObservationKind::waf_hit:
      add(state_->waf_attack(o));
      break;
    case ObservationKind::personal_data_read:
      add(state_->mass_data_access(o));
      break;
  }
  return findings;
}

size_t Detector::tracked_keys() const {
  return state_->tracks.size();
}

}  // namespace balai::security::ids
