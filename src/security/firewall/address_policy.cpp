#include "security/firewall/address_policy.h"

namespace balai::security::firewall {

AddressDecision AddressPolicy::decide(const IpAddress& ip) const {
  if (deny_.contains(ip)) return AddressDecision::denied;
  if (!allow_.empty() && !allow_.contains(ip)) return AddressDecision::denied;
  return AddressDecision::allowed;
}

}  // namespace balai::security::firewall
