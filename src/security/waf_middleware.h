#pragma once
// The WAF's place on a request's way (DESIGN.md: firewall -> WAF -> session/auth -> CSRF):
// a middleware on the worker pool that runs the rule set only over requests that carry
// attacker-controlled input — unsafe methods, a query string, or a route with parameters.
// Static files, health checks and cached public reads never reach a middleware at all.

#include "http/server.h"
#include "security/monitor.h"
#include "security/waf/waf.h"

namespace balai::security {

// True when the WAF looks at this request (see above).
bool waf_applies(const http::Request& req);

// Detect mode: each attack is a "waf_detected" event and the request goes on. Block mode: the
// request is refused with 403, a "waf_blocked" event, and a waf_hit observation (intrusion
// detection bans repeat offenders). References must outlive the server.
http::Middleware waf_middleware(const waf::Waf& waf, Monitor& monitor, const core::Clock& clock,
                                http::ErrorRenderer render_error);

}  // namespace balai::security
