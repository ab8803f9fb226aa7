#pragma once
// NGSI-v2 subscriptions as JSON (Orion's /v2/subscriptions bodies), as pure functions: a POST
// body parsed into a SubscriptionSpec, a PATCH applied to one, a subscription rendered as GET
// answers it (with its counters and reported status), and the stored definition. Errors are
// bad_request with a description in Orion's style ("no subject for subscription specified",
// "invalid attrsFormat, accepted values: ..."), which the API answers as 400 BadRequest.
// Patterns and expressions are only checked to be strings here; SubscriptionMatcher::compile
// parses them. No I/O; thread-safe.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "modules/city/subscriptions.h"

namespace balai::city::ngsi {

inline constexpr size_t kMaxDescription = 1024;  // Orion's MAX_DESCRIPTION_LENGTH
inline constexpr size_t kMaxUrl = 2048;
inline constexpr size_t kMaxSubjectEntities = 100;

// POST /v2/subscriptions: {"description", "subject": {"entities": [...], "condition": {"attrs",
// "expression"}}, "notification": {"http": {"url"}, "attrs" | "exceptAttrs", "metadata",
// "attrsFormat", "maxFailsLimit"}, "expires", "status", "throttling"}. subject and notification
// are required; "id" and the read-only counters (timesSent, lastNotification, ...) are ignored,
// so that what GET answers may be sent back; any other field is refused.
[[nodiscard]] core::Result<SubscriptionSpec> parse_subscription(const boost::json::value& json);

// PATCH /v2/subscriptions/{id}: the fields present replace those of `current` (subject and
// notification each as a whole); "expires": null makes it permanent. An empty object is a bad
// request ("empty payload").
[[nodiscard]] core::Result<SubscriptionSpec> parse_subscription_update(
    const boost::json::value& json, const SubscriptionSpec& current);

// The subscription as GET answers it: id, description (when set), subject, notification (the
// counters that happened; maxFailsLimit when set), expires (when set), the reported status at
// `now_ms`, throttling (when set). Times as "2026-05-01T00:00:00.000Z".
boost::json::object subscription_json(const Subscription& s, int64_t now_ms);

// The definition as stored (the API's form without id, status and counters), and back.
std::string definition_json(const SubscriptionSpec& spec);
[[nodiscard]] core::Result<SubscriptionSpec> parse_definition(std::string_view text);

}  // namespace balai::city::ngsi
