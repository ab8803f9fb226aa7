#include "security/firewall/cidr.h"

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

Cidr cidr(std::string_view text) {
  auto parsed = Cidr::parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? *parsed : *Cidr::parse("::/128");
}

TEST(Cidr, MatchesAddressesInsideTheBlockOnly) {
  const Cidr block = cidr("10.0.0.0/8");
  EXPECT_TRUE(block.contains(ip("10.0.0.0")));
  EXPECT_TRUE(block.contains(ip("10.255.255.255")));
  EXPECT_FALSE(block.contains(ip("11.0.0.0")));
  EXPECT_FALSE(block.contains(ip("9.255.255.255")));
}

TEST(Cidr, HandlesPrefixesThatAreNotOnAByteBoundary) {
  const Cidr block = cidr("192.168.4.0/22");
  EXPECT_TRUE(block.contains(ip("192.168.7.255")));
  EXPECT_FALSE(block.contains(ip("192.168.8.0")));
  EXPECT_FALSE(block.contains(ip("192.168.3.255")));
}

TEST(Cidr, SlashZeroIpv4MatchesEveryIpv4AddressAndNoIpv6) {
  const Cidr block = cidr("0.0.0.0/0");
  EXPECT_TRUE(block.contains(ip("1.2.3.4")));
  EXPECT_TRUE(block.contains(ip("255.255.255.255")));
  EXPECT_FALSE(block.contains(ip("2001:db8::1")));
}

TEST(Cidr, SlashZeroIpv6MatchesEveryIpv6AddressAndNoIpv4) {
  const Cidr block = cidr("::/0");
  EXPECT_TRUE(block.contains(ip("2001:db8::1")));
  EXPECT_TRUE(block.contains(ip("::1")));
  EXPECT_FALSE(block.contains(ip("1.2.3.4")));
}

TEST(Cidr, Slash32MatchesOneAddress) {
  const Cidr block = cidr("198.51.100.7/32");
  EXPECT_TRUE(block.contains(ip("198.51.100.7")));
  EXPECT_FALSE(block.contains(ip("198.51.100.6")));
  EXPECT_FALSE(block.contains(ip("198.51.100.8")));
}

TEST(Cidr, Slash128MatchesOneAddress) {
  const Cidr block = cidr("2001:db8::7/128");
  EXPECT_TRUE(block.contains(ip("2001:db8::7")));
  EXPECT_FALSE(block.contains(ip("2001:db8::6")));
}

TEST(Cidr, BareAddressIsASingleHostBlock) {
  EXPECT_EQ(cidr("198.51.100.7").prefix_length(), 32);
  EXPECT_EQ(cidr("2001:db8::7").prefix_length(), 128);
  EXPECT_EQ(cidr("198.51.100.7"), cidr("198.51.100.7/32"));
}

TEST(Cidr, MatchesIpv6Blocks) {
  const Cidr block = cidr("2001:db8::/32");
  EXPECT_TRUE(block.contains(ip("2001:db8:ffff::1")));
  EXPECT_FALSE(block.contains(ip("2001:db9::1")));
}

TEST(Cidr, Ipv4BlockMatchesIpv4MappedIpv6Addresses) {
  EXPECT_TRUE(cidr("10.0.0.0/8").contains(ip("::ffff:10.1.2.3")));
  EXPECT_FALSE(cidr("10.0.0.0/8").contains(ip("::ffff:11.1.2.3")));
}

TEST(Cidr, MappedIpv6BlockIsAnIpv4Block) {
  const Cidr block = cidr("::ffff:10.0.0.0/104");
  EXPECT_TRUE(block.contains(ip("10.20.30.40")));
  EXPECT_EQ(block.to_string(), "10.0.0.0/8");
}

TEST(Cidr, PrintsNetworkAndPrefixInItsFamily) {
  EXPECT_EQ(cidr("172.16.0.0/12").to_string(), "172.16.0.0/12");
  EXPECT_EQ(cidr("2001:DB8::/32").to_string(), "2001:db8::/32");
}

TEST(Cidr, RejectsHostBitsSetInTheNetworkAndSuggestsTheNetwork) {
  auto parsed = Cidr::parse("10.0.0.1/8");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, core::ErrorCode::validation_failed);
  EXPECT_NE(parsed.error().message.find("10.0.0.0/8"), std::string::npos) << parsed.error().message;
  EXPECT_FALSE(Cidr::parse("2001:db8::1/32").ok());
}

TEST(Cidr, RejectsPrefixLongerThanTheFamily) {
  EXPECT_FALSE(Cidr::parse("10.0.0.0/33").ok());
  EXPECT_FALSE(Cidr::parse("2001:db8::/129").ok());
  EXPECT_TRUE(Cidr::parse("::ffff:10.0.0.0/104").ok());
}

TEST(Cidr, RejectsMalformedEntriesNamingThem) {
  for (const char* text :
       {"1.2.3", "1.2.3/24", "garbage", "", "/8", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8",
        "10.0.0.0/8/8", "10.0.0.0/8 ", " 10.0.0.0/8", "10.0.0.0/0008", "10.0.0.0/x"}) {
    auto parsed = Cidr::parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::validation_failed) << text;
    EXPECT_NE(parsed.error().message.find("\"" + std::string(text) + "\""), std::string::npos)
        << parsed.error().message;
  }
}

TEST(CidrList, EmptyListContainsNothing) {
  EXPECT_FALSE(CidrList().contains(ip("1.2.3.4")));
  EXPECT_TRUE(CidrList().empty());
}

TEST(CidrList, ContainsAddressesOfAnyOfItsBlocks) {
  auto list = CidrList::parse({"10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32", "203.0.113.5"},
                              "firewall.allow");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 4u);
  EXPECT_TRUE(list->contains(ip("10.9.9.9")));
  EXPECT_TRUE(list->contains(ip("192.168.1.200")));
  EXPECT_TRUE(list->contains(ip("2001:db8::5")));
  EXPECT_TRUE(list->contains(ip("203.0.113.5")));
  EXPECT_TRUE(list->contains(ip("::ffff:192.168.1.1")));
  EXPECT_FALSE(list->contains(ip("192.168.2.1")));
  EXPECT_FALSE(list->contains(ip("203.0.113.6")));
  EXPECT_FALSE(list->contains(ip("2001:db9::1")));
}

TEST(CidrList, KeepsIpv6ShortPrefixesAwayFromIpv4Addresses) {
  auto list = CidrList::parse({"::/0"}, "firewall.deny");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->contains(ip("2001:db8::1")));
  EXPECT_FALSE(list->contains(ip("1.2.3.4")));
}

TEST(CidrList, AgreesWithItsBlocksOneByOne) {
  const std::vector<std::string> entries = {"10.0.0.0/8", "10.1.0.0/16",   "172.16.0.0/12",
                                            "0.0.0.0/1",  "2001:db8::/48", "fe80::/10"};
  auto list = CidrList::parse(entries, "firewall.deny");
  ASSERT_TRUE(list.ok());
  for (const char* text : {"10.1.2.3", "127.0.0.1", "128.0.0.1", "172.31.255.255", "172.32.0.0",
                           "2001:db8:0:1::1", "2001:db8:1::1", "fe80::1", "fec0::1", "::1"}) {
    bool any = false;
    for (const Cidr& block : list->blocks()) any = any || block.contains(ip(text));
    EXPECT_EQ(list->contains(ip(text)), any) << text;
  }
}

TEST(CidrList, BadEntryIsNamedWithTheSetting) {
  auto list = CidrList::parse({"10.0.0.0/8", "10.0.0.0/33"}, "firewall.deny");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().code, core::ErrorCode::validation_failed);
  EXPECT_NE(list.error().message.find("firewall.deny"), std::string::npos);
  EXPECT_NE(list.error().message.find("\"10.0.0.0/33\""), std::string::npos);
  ASSERT_EQ(list.error().fields.count("firewall.deny"), 1u);
  EXPECT_NE(list.error().fields.at("firewall.deny").find("10.0.0.0/33"), std::string::npos);
}

TEST(CidrList, ErrorShowsUnprintableBytesAsQuestionMarks) {
  auto list = CidrList::parse({"10.0.0.0\n/8"}, "firewall.deny");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().message.find('\n'), std::string::npos);
  EXPECT_NE(list.error().message.find("\"10.0.0.0?/8\""), std::string::npos)
      << list.error().message;
}

}  // namespace
}  // namespace balai::security::firewall
