#include "security/firewall/firewall.h"

#include "core/log.h"
#include "core/text.h"
#include "security/firewall/client_address.h"

namespace balai::security::firewall {

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string_view part = core::trim(text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

core::Result<std::unique_ptr<Firewall>> Firewall::create(const core::SecurityConfig& config,
                                                         const core::Clock& clock) {
  auto allow = CidrList::parse(split_list(config.firewall_allow), "security.firewall_allow");
  if (!allow) return allow.take_error();
  auto deny = CidrList::parse(split_list(config.firewall_deny), "security.firewall_deny");
  if (!deny) return deny.take_error();
  auto trusted = CidrList::parse(split_list(config.trusted_proxies), "security.trusted_proxies");
  if (!trusted) return trusted.take_error();

  RateLimiterSettings limits;
  limits.budgets["api"] = Budget{config.api_burst, static_cast<double>(config.api_per_second)};
  limits.budgets[std::string(kLoginBudget)] =
      Budget{config.login_burst, config.login_per_minute / 60.0};
  limits.budgets[std::string(kRegisterBudget)] =
      Budget{config.register_burst, config.register_per_hour / 3600.0};
  auto limiter = RateLimiter::create(limits);
  if (!limiter) return limiter.take_error();

  BanSettings ban_settings;
  ban_settings.max_failures = config.ban_failures;
  ban_settings.window_ms = config.ban_window_ms;
  ban_settings.first_ban_ms = config.ban_first_ms;
  auto bans = BanList::create(ban_settings);
  if (!bans) return bans.take_error();
  BanSettings lock_settings = ban_settings;
  lock_settings.max_failures = config.account_failures;
  auto account_locks = BanList::create(lock_settings);
  if (!account_locks) return account_locks.take_error();

  return std::unique_ptr<Firewall>(
      new Firewall(AddressPolicy(std::move(allow).value(), std::move(deny).value()),
                   std::move(trusted).value(), std::move(limiter).value(), std::move(bans).value(),
                   std::move(account_locks).value(), clock));
}

Firewall::Firewall(AddressPolicy policy, CidrList trusted, std::unique_ptr<RateLimiter> limiter,
                   std::unique_ptr<BanList> bans, std::unique_ptr<BanList> account_locks,
                   const core::Clock& clock)
    : policy_(std::move(policy)),
      trusted_proxies_(std::move(trusted)),
      limiter_(std::move(limiter)),
      bans_(std::move(bans)),
      account_locks_(std::move(account_locks)),
      clock_(clock) {}

std::string Firewall::source_key(std::string_view address) {
  auto ip = IpAddress::parse(address);
  if (!ip) return "";
  return "ip:" + network_key(*ip);
}

RateLimiter::Decision Firewall::take(std::string_view budget, std::string_view address) {
  const std::string key = source_key(address);
  if (key.empty()) return {};
  return limiter_->take(budget, key, clock_.now());
}

std::optional<Ban> Firewall::record_failure(std::string_view address) {
  const std::string key = source_key(address);
  if (key.empty()) return std::nullopt;
  return bans_->record_failure(key, clock_.now());
}

std::optional<http::Refusal> Firewall::admit(http::Request& req) {
  auto peer = IpAddress::parse(req.remote_address);
  if (!peer) return std::nullopt;  // not an IP socket (cannot happen with TCP): nothing to judge
  std::string forwarded;
  for (const auto& [name, value] : req.headers) {
    if (!http::iequals(name, "X-Forwarded-For")) continue;
    if (!forwarded.empty()) forwarded += ", ";
    forwarded += value;
  }
  const IpAddress client = resolve_client(*peer, forwarded, trusted_proxies_);
  req.remote_address = client.to_string();

  if (policy_.decide(client) == AddressDecision::denied) return http::Refusal{403, 0};

  const core::Timestamp now = clock_.now();
  const std::string key = source_key(req.remote_address);
  if (auto until = bans_->banned_until(key, now)) {
    return http::Refusal{429,
                         static_cast<int>(std::max<int64_t>(1, (until->ms - now.ms + 999) / 1000))};
  }
  const auto decision = limiter_->take("api", key, now);
  if (!decision.allowed) {
    // Hammering past the limit is what a scanner or a flood does: count it toward a ban.
    if (auto ban = bans_->record_failure(key, now)) {
      core::log::warn("security.ban", {{"key_kind", "ip"},
                                       {"until_ms", ban->until.ms},
                                       {"offences", static_cast<int64_t>(ban->offences)}});
    }
    return http::Refusal{429, decision.retry_after_seconds};
  }
  return std::nullopt;
}

}  // namespace balai::security::firewall
