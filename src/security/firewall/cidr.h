#pragma once
// CIDR blocks and lists of them, for the firewall's allow and deny lists and the trusted
// proxies. Families do not mix: an IPv4 block ("10.0.0.0/8") matches IPv4 clients (also when
// the socket reports them as ::ffff:10.x.y.z), an IPv6 block matches IPv6 clients. An IPv6
// block inside ::ffff:0:0/96 is an IPv4 block written the long way and matches IPv4 clients;
// "::/0" is every IPv6 address, not every address (write both "0.0.0.0/0" and "::/0" for that).

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/result.h"
#include "security/firewall/ip_address.h"

namespace balai::security::firewall {

class Cidr {
 public:
  // Parses "address/prefix" or a bare address (a /32 or /128 block). The prefix is 0-32 for
  // IPv4 and 0-128 for IPv6; the address must be the network itself: "10.0.0.1/8" is refused
  // rather than silently widened, because it is usually a typo for a single host.
  // validation_failed naming the entry (this is configuration, not request input).
  [[nodiscard]] static core::Result<Cidr> parse(std::string_view text);

  bool contains(const IpAddress& ip) const;
  const IpAddress& network() const { return network_; }
  // In the block's own family: 0-32 for IPv4, 0-128 for IPv6.
  int prefix_length() const { return network_.is_v4() ? prefix_ - 96 : prefix_; }
  // "10.0.0.0/8", "2001:db8::/32".
  std::string to_string() const;

  friend bool operator==(const Cidr&, const Cidr&) = default;

 private:
  friend class CidrList;
  Cidr(IpAddress network, int prefix) : network_(network), prefix_(prefix) {}

  IpAddress network_;
  int prefix_ = 128;  // over the 128-bit (mapped) form
};

// An immutable set of blocks. A lookup costs one hash probe per distinct prefix length in the
// list, not one comparison per block, so a deny list fed from a block list of tens of
// thousands of networks stays cheap on the I/O thread. Thread-safe for concurrent reads.
class CidrList {
 public:
  CidrList() = default;
  explicit CidrList(std::vector<Cidr> blocks);

  // Parses each entry with Cidr::parse. On the first bad entry: validation_failed, with
  // `setting` (e.g. "firewall.deny") in the message and as the field, naming the entry.
  [[nodiscard]] static core::Result<CidrList> parse(const std::vector<std::string>& entries,
                                                    std::string_view setting);

  bool contains(const IpAddress& ip) const;
  bool empty() const { return blocks_.empty(); }
  size_t size() const { return blocks_.size(); }
  // In the order given.
  const std::vector<Cidr>& blocks() const { return blocks_; }

 private:
  struct BytesHash {
    size_t operator()(const IpAddress::Bytes& b) const;
  };
  // The networks of one prefix length (over the 128-bit form), longest prefix first.
  struct PrefixGroup {
    int prefix = 0;
    std::unordered_set<IpAddress::Bytes, BytesHash> networks;
  };

  std::vector<Cidr> blocks_;
  std::vector<PrefixGroup> groups_;
};

}  // namespace balai::security::firewall
