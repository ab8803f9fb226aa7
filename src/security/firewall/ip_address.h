#pragma once
// An IPv4 or IPv6 address as the firewall compares it. IPv4 addresses are held in their
// IPv4-mapped IPv6 form (::ffff:a.b.c.d), so "1.2.3.4" and "::ffff:1.2.3.4" are the same value:
// a dual-stack socket reports IPv4 clients in the mapped form and they must meet IPv4 rules.

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace balai::security::firewall {

class IpAddress {
 public:
  using Bytes = std::array<uint8_t, 16>;

  // The unspecified address "::".
  IpAddress() = default;

  // Parses a bare address: dotted-quad IPv4 ("10.1.2.3") or any RFC 4291 text form of IPv6
  // ("2001:db8::1", "::ffff:10.1.2.3"). No surrounding spaces, ports, brackets or zone ids.
  // bad_request when it is not an address; the message never repeats the input (it may come
  // from a request header).
  [[nodiscard]] static core::Result<IpAddress> parse(std::string_view text);
  // From the four bytes of an IPv4 address in network order (what Asio's to_bytes() gives).
  static IpAddress from_v4(const std::array<uint8_t, 4>& bytes);
  // From the sixteen bytes of an IPv6 address in network order; a mapped IPv4 stays IPv4.
  static IpAddress from_v6(const Bytes& bytes) { return IpAddress(bytes); }

  // True for IPv4 addresses, whichever way they were written.
  bool is_v4() const;
  // The sixteen bytes, IPv4 in mapped form.
  const Bytes& bytes() const { return bytes_; }
  // "1.2.3.4" for IPv4 (mapped or not), the RFC 5952 form for IPv6 ("2001:db8::1").
  std::string to_string() const;

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;

 private:
  explicit IpAddress(const Bytes& bytes) : bytes_(bytes) {}
  Bytes bytes_{};
};

// The part of an address one client can be expected to control, for per-address rate limits
// and bans: the whole IPv4 address, or the /64 network of an IPv6 address (an ISP hands a
// customer at least a /64, so keying by the full address lets one client rotate freely).
// "1.2.3.4", "2001:db8:1:2::/64".
std::string network_key(const IpAddress& ip);

}  // namespace balai::security::firewall
