#include "security/account_budget.h"

#include "security/actor.h"

namespace balai::security {

http::Middleware account_budget_middleware(firewall::Firewall& firewall, const core::Clock& clock,
                                           http::ErrorRenderer render_error) {
  return [&firewall, &clock, render = std::move(render_error)](
             http::Request& req, const http::Handler& next) -> http::Response {
    const Actor* actor = current_actor(req);
    if (!actor) return next(req);
    const auto decision =
        firewall.limiter().take(firewall::kApiBudget, "acct:" + actor->id, clock.now());
    if (decision.allowed) return next(req);
    http::Response res = render(req, 429);
    res.headers.set("Retry-After", std::to_string(decision.retry_after_seconds));
    res.headers.set("Cache-Control", "no-store");
    return res;
  };
}

}  // namespace balai::security
