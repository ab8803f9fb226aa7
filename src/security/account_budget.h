#pragma once
// The general API budget per account (DESIGN.md: rate limits per IP and per account): after
// authentication, each signed-in person or token draws from its own bucket as well as its
// address's, so one stolen token cannot use a whole office's share, and one account cannot
// hide behind many addresses.

#include "http/server.h"
#include "security/firewall/firewall.h"

namespace balai::security {

// 429 with Retry-After when the actor's bucket is empty; anonymous requests pass (the address
// budget on the I/O thread already counted them). `firewall` must outlive the server.
http::Middleware account_budget_middleware(firewall::Firewall& firewall, const core::Clock& clock,
                                           http::ErrorRenderer render_error);

}  // namespace balai::security
