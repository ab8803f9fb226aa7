#include "security/firewall/address_policy.h"

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

CidrList list(const std::vector<std::string>& entries) {
  auto parsed = CidrList::parse(entries, "test");
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? *parsed : CidrList();
}

TEST(AddressPolicy, AllowsEveryoneByDefault) {
  EXPECT_EQ(AddressPolicy().decide(ip("1.2.3.4")), AddressDecision::allowed);
  EXPECT_EQ(AddressPolicy().decide(ip("2001:db8::1")), AddressDecision::allowed);
}

TEST(AddressPolicy, EmptyAllowListAllowsEveryoneNotDenied) {
  const AddressPolicy policy(CidrList(), list({"198.51.100.0/24"}));
  EXPECT_EQ(policy.decide(ip("203.0.113.1")), AddressDecision::allowed);
  EXPECT_EQ(policy.decide(ip("198.51.100.1")), AddressDecision::denied);
}

TEST(AddressPolicy, AllowListDeniesAddressesOutsideIt) {
  const AddressPolicy policy(list({"10.0.0.0/8"}), CidrList());
  EXPECT_EQ(policy.decide(ip("10.1.1.1")), AddressDecision::allowed);
  EXPECT_EQ(policy.decide(ip("11.1.1.1")), AddressDecision::denied);
  EXPECT_EQ(policy.decide(ip("2001:db8::1")), AddressDecision::denied);
}

TEST(AddressPolicy, DenyWinsOverAllow) {
  const AddressPolicy policy(list({"10.0.0.0/8"}), list({"10.6.6.0/24"}));
  EXPECT_EQ(policy.decide(ip("10.6.6.6")), AddressDecision::denied);
  EXPECT_EQ(policy.decide(ip("10.6.7.6")), AddressDecision::allowed);
}

TEST(AddressPolicy, DeniesIpv4MappedAddressesByIpv4Rules) {
  const AddressPolicy policy(CidrList(), list({"198.51.100.0/24"}));
  EXPECT_EQ(policy.decide(ip("::ffff:198.51.100.9")), AddressDecision::denied);
}

}  // namespace
}  // namespace balai::security::firewall
