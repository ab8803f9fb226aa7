#include "security/firewall/ip_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace balai::security::firewall {
namespace {

constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
// Longest text form of an IPv6 address ("ffff:...:255.255.255.255" is 45 characters).
constexpr size_t kMaxAddressText = INET6_ADDRSTRLEN - 1;

}  // namespace

core::Result<IpAddress> IpAddress::parse(std::string_view text) {
  const auto invalid = [] {
    return core::make_error(core::ErrorCode::bad_request, "not an IP address");
  };
  // inet_pton wants a terminated string; an embedded NUL would end it early and let trailing
  // garbage through.
  if (text.empty() || text.size() > kMaxAddressText || text.find('\0') != std::string_view::npos)
    return invalid();
  char buffer[INET6_ADDRSTRLEN] = {};
  std::memcpy(buffer, text.data(), text.size());

  std::array<uint8_t, 4> v4{};
  if (inet_pton(AF_INET, buffer, v4.data()) == 1) return from_v4(v4);
  Bytes v6{};
  if (inet_pton(AF_INET6, buffer, v6.data()) == 1) return IpAddress(v6);
  return invalid();
}

IpAddress IpAddress::from_v4(const std::array<uint8_t, 4>& bytes) {
  Bytes b{};
  std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), b.begin());
  std::copy(bytes.begin(), bytes.end(), b.begin() + kMappedPrefix.size());
  return IpAddress(b);
}

bool IpAddress::is_v4() const {
  return std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes_.begin());
}

std::string IpAddress::to_string() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  const char* written = is_v4() ? inet_ntop(AF_INET, bytes_.data() + 12, buffer, sizeof buffer)
                                : inet_ntop(AF_INET6, bytes_.data(), buffer, sizeof buffer);
  // Only fails for a buffer too small, which INET6_ADDRSTRLEN rules out.
  return written ? std::string(written) : std::string();
}

std::string network_key(const IpAddress& ip) {
  if (ip.is_v4()) return ip.to_string();
  IpAddress::Bytes network = ip.bytes();
  std::fill(network.begin() + 8, network.end(), uint8_t{0});
  return IpAddress::from_v6(network).to_string() + "/64";
}

}  // namespace balai::security::firewall
