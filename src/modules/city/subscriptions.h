#pragma once
// NGSI-v2 subscriptions (FIWARE Orion's /v2/subscriptions): a city system asks to be told, by
// an HTTP POST to its URL, whenever entities it names change. This file holds the model and the
// pure decisions: which change a subscription is about, whether it is throttled or expired, the
// notification's body, and what a delivery's outcome does to the counters and the status.
// No I/O; thread-compatible values (the notifier guards them with its lock).
//
// Status: a client sets "active" or "inactive". Balai reports "expired" once `expires` has
// passed, and "failed" while notifications fail (NGSI-v2: "for subscriptions experiencing
// problems with notifications, the status is set to failed; as soon as the notifications start
// working again, the status is changed back to active"). After maxFailsLimit failures in a row
// the subscription stops (stored status "failed", nothing more is sent) until a client sets it
// "active" again, which also clears failsCounter. Orion 3 calls that state "inactive"; Balai
// keeps it apart from a client's own "inactive" so that one can tell who switched it off.
//
// Failures, as Orion counts them: a notification fails when no HTTP answer came back (refused,
// unreachable, timed out); any HTTP answer, even 4xx or 5xx, is delivered, and its status is
// lastSuccessCode.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "modules/city/model.h"
#include "modules/city/ngsi_query.h"
#include "modules/city/service.h"
#include "modules/city/store.h"

namespace balai::city {

// The policy's action: creating, reading, changing and deleting subscriptions. Integrators
// manage their own, administrators every one (granted by install_subscriptions).
inline constexpr std::string_view kSubscriptionsManage = "city.subscriptions.manage";

// How entities are rendered in a notification (notification.attrsFormat).
enum class AttrsFormat { normalized, key_values, values };
std::string_view to_string(AttrsFormat format);  // "normalized", "keyValues", "values"
std::optional<AttrsFormat> parse_attrs_format(std::string_view text);

// What a client set (active, inactive) or the notifier decided (failed: maxFailsLimit reached).
enum class SubscriptionStatus { active, inactive, failed };
std::string_view to_string(SubscriptionStatus status);
std::optional<SubscriptionStatus> parse_subscription_status(std::string_view text);

// One item of subject.entities: id or idPattern (one of them), type or typePattern (at most one;
// none: any type). Patterns are kept as written and compiled by SubscriptionMatcher.
struct SubjectEntity {
  std::string id;
  std::string id_pattern;
  std::string type;
  std::string type_pattern;
  bool operator==(const SubjectEntity&) const = default;
};

// The part of a subscription a client writes.
struct SubscriptionSpec {
  std::string description;
  std::vector<SubjectEntity> entities;  // at least one
  // subject.condition.attrs: a change of one of these triggers (empty: any attribute).
  std::vector<std::string> condition_attrs;
  // subject.condition.expression: "q", "mq", "georel", "geometry", "coords" as written; the
  // entity's new state must match them (the GET /v2/entities language, ngsi_query).
  std::map<std::string, std::string> expression;
  std::string url;                        // notification.http.url: http:// or https://
  std::vector<std::string> attrs;         // notification.attrs (empty: all)
  std::vector<std::string> except_attrs;  // notification.exceptAttrs (not with attrs)
  std::vector<std::string> metadata;      // notification.metadata (empty: all)
  AttrsFormat format = AttrsFormat::normalized;
  int64_t throttling_s = 0;           // at least this long between two notifications
  std::optional<int64_t> expires_ms;  // nothing is sent from then on; nullopt: never
  SubscriptionStatus status = SubscriptionStatus::active;
  int64_t max_fails_limit = 0;  // consecutive failures before it stops; 0: never
  bool operator==(const SubscriptionSpec&) const = default;
};

// What the notifier counts (notification.timesSent, lastNotification, ...). Times are UTC
// milliseconds, 0 when it never happened.
struct DeliveryCounters {
  int64_t times_sent = 0;
  int64_t last_notification_ms = 0;
  int64_t last_success_ms = 0;
  int64_t last_success_code = 0;
  int64_t last_failure_ms = 0;
  std::string last_failure_reason;  // libcurl's words ("Timeout was reached"), never a body
  int64_t fails_counter = 0;        // consecutive failures
  bool operator==(const DeliveryCounters&) const = default;
};

struct Subscription {
  int64_t key = 0;    // internal
  std::string id;     // public: 24 lower-case hex digits, like Orion's
  Scope scope;        // Fiware-Service, and the one service path it watches ("/#": every path)
  std::string owner;  // external id of the actor who created it (an integrator manages its own)
  SubscriptionSpec spec;
  DeliveryCounters counters;
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
};

// A new subscription id: 12 random bytes as 24 lower-case hex digits.
std::string new_subscription_id();
// Whether `text` has the form of one (anything else is an unknown id).
bool is_subscription_id(std::string_view text);

// "active", "inactive", "failed" or "expired" as GET answers it (see the file's comment).
std::string_view reported_status(const Subscription& s, int64_t now_ms);

// A subscription's subject compiled once (patterns, q, mq, geo): which changes concern it.
class SubscriptionMatcher {
 public:
  // bad_request naming the problem for a pattern, query or geometry that does not parse (the
  // messages of GET /v2/entities' parameters), or a service path that is not one.
  [[nodiscard]] static core::Result<SubscriptionMatcher> compile(const Subscription& s);

  // Whether the change is about this subscription: same service, within its service path, an
  // entity it names, one of its condition attributes among the changed ones (any when it names
  // none), and the entity's new state matching its expression. A deleted entity never is.
  bool concerns(const Changed& change) const;

 private:
  std::string service_;
  PathFilter paths_;
  std::vector<EntityListQuery> selectors_;  // one per subject entity; any may match
  std::vector<std::string> condition_attrs_;
};

// Why a change does or does not become a notification.
enum class Trigger { notify, not_concerned, inactive, expired, throttled };

// The decision for one change at `now_ms`, in this order: inactive (a client's or failed),
// expired, not concerned, throttled (less than throttling seconds since lastNotification; the
// change is dropped, as Orion does, not delayed).
Trigger decide(const Subscription& s, const SubscriptionMatcher& matcher, const Changed& change,
               int64_t now_ms);

// {"subscriptionId": ..., "data": [entity, ...]}: each entity in the subscription's attrsFormat
// with its attrs / exceptAttrs / metadata projection.
std::string notification_body(const Subscription& s, const std::vector<Entity>& entities);

// The outcome of one POST.
struct Delivery {
  bool delivered = false;   // an HTTP answer came back (whatever its status)
  int64_t status_code = 0;  // when delivered
  std::string failure;      // when not: why, in libcurl's words
  int64_t at_ms = 0;
};

// What a delivery does: timesSent counts it; delivered sets lastSuccess and lastSuccessCode and
// clears failsCounter; not delivered sets lastFailure and its reason and counts a failure, and
// the failure that reaches maxFailsLimit sets the status to failed. Returns true when that
// happened (the notifier then drops what waits for the subscription).
bool record(Subscription& s, const Delivery& delivery);

}  // namespace balai::city
