#pragma once
// Alerts to administrators' own systems (a chat bot, an on-call pager): a JSON POST to a
// configured URL. Blocking, with a short timeout; the monitor calls it from its own thread.

#include <string_view>

#include "core/result.h"

namespace balai::security {

// POSTs `json` to `url` (http or https only). unavailable when the endpoint cannot be reached
// or answers other than 2xx within `timeout_ms`; the message names the status, never the body.
[[nodiscard]] core::Status post_json(std::string_view url, std::string_view json,
                                     long timeout_ms = 5000);

}  // namespace balai::security
