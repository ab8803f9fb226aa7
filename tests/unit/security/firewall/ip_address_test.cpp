#include "security/firewall/ip_address.h"

#include <gtest/gtest.h>

#include <string>

namespace balai::security::firewall {
namespace {

IpAddress ip(std::string_view text) {
  auto parsed = IpAddress::parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : IpAddress();
}

TEST(IpAddress, ParsesDottedQuadAsIpv4) {
  const IpAddress a = ip("192.168.10.7");
  EXPECT_TRUE(a.is_v4());
  EXPECT_EQ(a.to_string(), "192.168.10.7");
}

TEST(IpAddress, ParsesIpv6AndPrintsItsCanonicalForm) {
  const IpAddress a = ip("2001:0DB8:0000:0000:0000:0000:0000:0001");
  EXPECT_FALSE(a.is_v4());
  EXPECT_EQ(a.to_string(), "2001:db8::1");
}

TEST(IpAddress, TreatsIpv4MappedIpv6AsTheSameIpv4Address) {
  const IpAddress mapped = ip("::ffff:1.2.3.4");
  EXPECT_TRUE(mapped.is_v4());
  EXPECT_EQ(mapped, ip("1.2.3.4"));
  EXPECT_EQ(mapped.to_string(), "1.2.3.4");
}

TEST(IpAddress, BuildsFromSocketBytesInNetworkOrder) {
  EXPECT_EQ(IpAddress::from_v4({10, 0, 0, 1}), ip("10.0.0.1"));
  IpAddress::Bytes loopback{};
  loopback[15] = 1;
  EXPECT_EQ(IpAddress::from_v6(loopback), ip("::1"));
}

TEST(IpAddress, RejectsMalformedText) {
  for (const char* text :
       {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4:80", "[::1]",
        "fe80::1%eth0", "2001:db8:::1", "unknown", "localhost", "0x7f.0.0.1", "1.2.3.4/32"}) {
    auto parsed = IpAddress::parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::bad_request);
  }
}

TEST(IpAddress, RejectsTextWithAnEmbeddedNul) {
  using namespace std::string_literals;
  EXPECT_FALSE(IpAddress::parse("1.2.3.4\0garbage"s).ok());
}

TEST(IpAddress, ErrorMessageDoesNotRepeatTheInput) {
  auto parsed = IpAddress::parse("<script>");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message.find("<script>"), std::string::npos);
}

TEST(IpAddress, NetworkKeyIsTheWholeIpv4Address) {
  EXPECT_EQ(network_key(ip("203.0.113.9")), "203.0.113.9");
  EXPECT_EQ(network_key(ip("::ffff:203.0.113.9")), "203.0.113.9");
}

TEST(IpAddress, NetworkKeyIsTheSlash64OfAnIpv6Address) {
  EXPECT_EQ(network_key(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")), "2001:db8:1:2::/64");
  EXPECT_EQ(network_key(ip("2001:db8:1:2::1")), network_key(ip("2001:db8:1:2::2")));
}

}  // namespace
}  // namespace balai::security::firewall
