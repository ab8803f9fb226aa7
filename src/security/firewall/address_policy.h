#pragma once
// Which client addresses may talk to the server at all (DESIGN.md, security model: firewall).
// A denied address is answered 403 before any routing.

#include <utility>

#include "security/firewall/cidr.h"
#include "security/firewall/ip_address.h"

namespace balai::security::firewall {

enum class AddressDecision { allowed, denied };

// Built once from configuration and immutable afterwards; thread-safe for concurrent reads and
// cheap enough for the I/O thread (see CidrList).
class AddressPolicy {
 public:
  // Everyone allowed.
  AddressPolicy() = default;
  // `allow` empty means every address not denied; otherwise only addresses in it. `deny` wins
  // over `allow`, so a bad neighbour can be cut out of an allowed network.
  AddressPolicy(CidrList allow, CidrList deny) : allow_(std::move(allow)), deny_(std::move(deny)) {}

  AddressDecision decide(const IpAddress& ip) const;

 private:
  CidrList allow_;
  CidrList deny_;
};

}  // namespace balai::security::firewall
