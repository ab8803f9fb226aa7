#include "security/waf_middleware.h"

#include <fmt/format.h>

namespace balai::security {

bool waf_applies(const http::Request& req) {
  if (req.method != http::Method::get && req.method != http::Method::head) return true;
  if (!req.query.empty()) return true;
  return !req.params.empty();
}

http::Middleware waf_middleware(const waf::Waf& waf, Monitor& monitor, const core::Clock& clock,
                                http::ErrorRenderer render_error) {
  return [&waf, &monitor, &clock, render = std::move(render_error)](
             http::Request& req, const http::Handler& next) -> http::Response {
    if (!waf_applies(req)) return next(req);
    const waf::Verdict verdict = waf.inspect(req);
    if (!verdict.attack) return next(req);
    const core::Timestamp now = clock.now();
    std::string rules;
    for (int id : verdict.rule_ids) rules += (rules.empty() ? "" : ",") + std::to_string(id);
    if (!verdict.blocked) {
      // Detect mode is for finding false positives before blocking: record, never ban.
      monitor.report(SecurityEvent{"",
                                   now,
                                   "waf_detected",
                                   ids::Severity::info,
                                   req.remote_address,
                                   "",
                                   fmt::format("rules {}", rules),
                                   {},
                                   ""});
      return next(req);
    }
    // Block mode: intrusion detection bans an address that keeps attacking.
    monitor.observe(ids::Observation{ids::ObservationKind::waf_hit, now, req.remote_address, "",
                                     false, 0, "", true, verdict.rule_ids});
    monitor.report(SecurityEvent{"",
                                 now,
                                 "waf_blocked",
                                 ids::Severity::low,
                                 req.remote_address,
                                 "",
                                 fmt::format("rules {}", rules),
                                 {},
                                 ""});
    http::Response res = render(req, 403);
    res.headers.set("Cache-Control", "no-store");
    return res;
  };
}

}  // namespace balai::security
