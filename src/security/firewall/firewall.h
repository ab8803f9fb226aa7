#pragma once
// The firewall as the server sees it: one admission check per request on the I/O thread,
// before routing and before any body is read. Denied addresses get 403; banned addresses and
// clients over their general budget get 429 with Retry-After; a client that keeps hitting the
// limit is banned (fail2ban-style, doubling on repeat). Login and registration take their own
// budgets through limiter() when the identity module arrives.

#include <memory>
#include <optional>

#include "core/config.h"
#include "core/result.h"
#include "core/time.h"
#include "http/request.h"
#include "http/server.h"
#include "security/firewall/address_policy.h"
#include "security/firewall/ban_list.h"
#include "security/firewall/cidr.h"
#include "security/firewall/rate_limiter.h"

namespace balai::security::firewall {

class Firewall {
 public:
  // Parses the lists of `config` (validation_failed naming the setting and entry). `clock` must
  // outlive the firewall.
  [[nodiscard]] static core::Result<std::unique_ptr<Firewall>> create(
      const core::SecurityConfig& config, const core::Clock& clock);

  // The admission check (http::Server::admit). Sets req.remote_address to the client resolved
  // through trusted proxies. Thread-safe, never blocks beyond a short sharded lock.
  std::optional<http::Refusal> admit(http::Request& req);

  RateLimiter& limiter() { return *limiter_; }
  BanList& bans() { return *bans_; }
  // Sign-in failures per account (a separate list, so failures on random account names
  // cannot push an address's ban out): a locked account refuses every password, right or
  // wrong, until the lock ends.
  BanList& account_locks() { return *account_locks_; }

  // The key under which an address is limited and banned ("ip:203.0.113.0/24"-style network
  // key for IPv6, the address for IPv4); "" when `address` is not an IP address.
  static std::string source_key(std::string_view address);
  // Takes one token of `budget` (kLoginBudget, kRegisterBudget) for the address.
  RateLimiter::Decision take(std::string_view budget, std::string_view address);
  // Counts a failure (a wrong password) against the address; returns the ban it started.
  std::optional<Ban> record_failure(std::string_view address);

 private:
  Firewall(AddressPolicy policy, CidrList trusted, std::unique_ptr<RateLimiter> limiter,
           std::unique_ptr<BanList> bans, std::unique_ptr<BanList> account_locks,
           const core::Clock& clock);

  AddressPolicy policy_;
  CidrList trusted_proxies_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<BanList> bans_;
  std::unique_ptr<BanList> account_locks_;
  const core::Clock& clock_;
};

// Splits "10.0.0.0/8, 192.168.1.1" into entries (empty parts skipped).
std::vector<std::string> split_list(std::string_view text);

}  // namespace balai::security::firewall
