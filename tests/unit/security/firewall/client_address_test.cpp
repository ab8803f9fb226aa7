#include "security/firewall/client_address.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace balai::security::firewall {
namespace {

IpAddress ip(std::string_view text) {
  auto parsed = IpAddress::parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : IpAddress();
}

// The load balancer 10.0.0.5 and the reverse proxies in 192.168.0.0/24 and 2001:db8:100::/48.
CidrList proxies() {
  auto parsed = CidrList::parse({"10.0.0.5", "192.168.0.0/24", "2001:db8:100::/48"},
                                "server.trusted_proxies");
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? *parsed : CidrList();
}

TEST(ClientAddress, UntrustedPeerIsTheClientWhateverTheHeaderSays) {
  EXPECT_EQ(resolve_client(ip("203.0.113.7"), "198.51.100.1", proxies()), ip("203.0.113.7"));
}

TEST(ClientAddress, UntrustedPeerCannotClaimToBeBehindATrustedProxy) {
  EXPECT_EQ(resolve_client(ip("203.0.113.7"), "198.51.100.1, 10.0.0.5", proxies()),
            ip("203.0.113.7"));
}

TEST(ClientAddress, TrustedPeerWithoutHeaderIsTheClient) {
  EXPECT_EQ(resolve_client(ip("10.0.0.5"), "", proxies()), ip("10.0.0.5"));
  EXPECT_EQ(resolve_client(ip("10.0.0.5"), "  ", proxies()), ip("10.0.0.5"));
}

TEST(ClientAddress, TrustedPeerNamesTheClient) {
  EXPECT_EQ(resolve_client(ip("10.0.0.5"), "198.51.100.1", proxies()), ip("198.51.100.1"));
}

TEST(ClientAddress, WalksAChainOfTrustedProxies) {
  EXPECT_EQ(resolve_client(ip("10.0.0.5"), "198.51.100.1, 192.168.0.20,192.168.0.21", proxies()),
            ip("198.51.100.1"));
}

TEST(ClientAddress, IgnoresSpoofedEntriesLeftOfTheClient) {
  // The client sent "X-Forwarded-For: 1.1.1.1, 10.0.0.5"; the proxy appended the real address.
  EXPECT_EQ(resolve_client(ip("192.168.0.20"), "1.1.1.1, 10.0.0.5, 198.51.100.1", proxies()),
            ip("198.51.100.1"));
}

TEST(ClientAddress, WholeChainTrustedGivesItsLeftEnd) {
  EXPECT_EQ(resolve_client(ip("10.0.0.5"), "192.168.0.9, 192.168.0.20", proxies()),
            ip("192.168.0.9"));
}

TEST(ClientAddress, MalformedEntryStopsAtTheLastGoodAddress) {
  EXPECT_EQ(resolve_client(ip("10.0.0.5"), "198.51.100.1, unknown, 192.168.0.20", proxies()),
            ip("192.168.0.20"));
  EXPECT_EQ(resolve_client(ip("10.0.0.5"), "198.51.100.1:4711", proxies()), ip("10.0.0.5"));
  EXPECT_EQ(resolve_client(ip("10.0.0.5"), "198.51.100.1,", proxies()), ip("10.0.0.5"));
}

TEST(ClientAddress, HandlesIpv6ProxiesAndClients) {
  EXPECT_EQ(resolve_client(ip("2001:db8:100::1"), "2001:db8:5::9, 2001:db8:100::2", proxies()),
            ip("2001:db8:5::9"));
}

TEST(ClientAddress, MappedPeerOfATrustedIpv4ProxyIsTrusted) {
  EXPECT_EQ(resolve_client(ip("::ffff:10.0.0.5"), "198.51.100.1", proxies()), ip("198.51.100.1"));
}

TEST(ClientAddress, NoTrustedProxiesMeansThePeerAlways) {
  EXPECT_EQ(resolve_client(ip("10.0.0.5"), "198.51.100.1", CidrList()), ip("10.0.0.5"));
}

}  // namespace
}  // namespace balai::security::firewall
