#pragma once
// Who the client is when the server sits behind reverse proxies (DESIGN.md, security model:
// firewall). X-Forwarded-For is whatever the previous hop wrote, so it is believed only as far
// as the hops that wrote it are trusted.

#include <string_view>

#include "security/firewall/cidr.h"
#include "security/firewall/ip_address.h"

namespace balai::security::firewall {

// The address the firewall should judge. `peer` is the socket's remote address;
// `x_forwarded_for` is the header's value (several header lines joined with ", " in order, or
// empty); `trusted_proxies` the configured proxies.
//
// When the peer is not a trusted proxy the header is ignored and the peer is the client: anyone
// can write the header. Otherwise the list is walked from the right (the entry the nearest proxy
// added) past every trusted proxy; the first address that is not one is the client, and entries
// to its left, which the client itself may have written, are ignored. An entry that is not a
// bare address (empty, "unknown", with a port) stops the walk at the last good address, which
// is then the client. Pure and cheap: safe on the I/O thread.
IpAddress resolve_client(const IpAddress& peer, std::string_view x_forwarded_for,
                         const CidrList& trusted_proxies);

}  // namespace balai::security::firewall
