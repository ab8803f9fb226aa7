#include "security/firewall/cidr.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <map>

namespace balai::security::firewall {
namespace {

// Clears every bit after the first `prefix` (0-128).
IpAddress::Bytes masked(IpAddress::Bytes bytes, int prefix) {
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(prefix - i * 8, 0, 8);
    bytes[i] &= static_cast<uint8_t>(0xff00u >> keep);
  }
  return bytes;
}

// The entry as it may appear in an error message: bounded and printable.
std::string quoted(std::string_view text) {
  constexpr size_t kMaxShown = 64;
  std::string out = "\"";
  for (char c : text.substr(0, kMaxShown)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > kMaxShown) out += "...";
  return out + "\"";
}

core::Error invalid_entry(std::string_view text, std::string reason) {
  core::Error e{core::ErrorCode::validation_failed,
                quoted(text) + " is not an IP address or CIDR block: " + reason,
                {}};
  e.fields["cidr"] = std::move(reason);
  return e;
}

}  // namespace

core::Result<Cidr> Cidr::parse(std::string_view text) {
  const size_t slash = text.find('/');
  const std::string_view address_text = text.substr(0, slash);
  auto address = IpAddress::parse(address_text);
  if (!address) return invalid_entry(text, "the address is malformed");
  // The family is the one written: "::ffff:10.0.0.0/104" counts its prefix over 128 bits.
  const bool written_v6 = address_text.find(':') != std::string_view::npos;
  const int max_prefix = written_v6 ? 128 : 32;

  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const bool all_digits =
        !digits.empty() && digits.size() <= 3 &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!all_digits) return invalid_entry(text, "the prefix length is not a number");
    std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (prefix > max_prefix)
      return invalid_entry(text, written_v6 ? "the prefix length must be 0 to 128 for IPv6"
                                            : "the prefix length must be 0 to 32 for IPv4");
  }
  const int prefix128 = written_v6 ? prefix : prefix + 96;
  if (masked(address->bytes(), prefix128) != address->bytes())
    return invalid_entry(
        text,
        "the address has bits set after the prefix; use " +
            Cidr(IpAddress::from_v6(masked(address->bytes(), prefix128)), prefix128).to_string());
  return Cidr(*address, prefix128);
}

bool Cidr::contains(const IpAddress& ip) const {
  // A short IPv6 block (::/0, ::/8) would otherwise swallow the mapped IPv4 range.
  if (ip.is_v4() && prefix_ < 96) return false;
  return masked(ip.bytes(), prefix_) == network_.bytes();
}

std::string Cidr::to_string() const {
  return network_.to_string() + "/" + std::to_string(prefix_length());
}

size_t CidrList::BytesHash::operator()(const IpAddress::Bytes& b) const {
  uint64_t high = 0;
  uint64_t low = 0;
  std::memcpy(&high, b.data(), 8);
  std::memcpy(&low, b.data() + 8, 8);
  return std::hash<uint64_t>{}(high * 0x9e3779b97f4a7c15ull ^ low);
}

CidrList::CidrList(std::vector<Cidr> blocks) : blocks_(std::move(blocks)) {
  std::map<int, PrefixGroup, std::greater<>> by_prefix;
  for (const Cidr& block : blocks_) {
    PrefixGroup& group = by_prefix[block.prefix_];
    group.prefix = block.prefix_;
    group.networks.insert(block.network_.bytes());
  }
  for (auto& [prefix, group] : by_prefix) groups_.push_back(std::move(group));
}

core::Result<CidrList> CidrList::parse(const std::vector<std::string>& entries,
                                       std::string_view setting) {
  std::vector<Cidr> blocks;
  blocks.reserve(entries.size());
  for (const std::string& entry : entries) {
    auto block = Cidr::parse(entry);
    if (!block) {
      core::Error e = block.take_error();
      const std::string reason = quoted(entry) + ": " + e.fields["cidr"];
      e.message = std::string(setting) + ": " + e.message;
      e.fields.clear();
      e.fields[std::string(setting)] = reason;
      return e;
    }
    blocks.push_back(*block);
  }
  return CidrList(std::move(blocks));
}

bool CidrList::contains(const IpAddress& ip) const {
  for (const PrefixGroup& group : groups_) {
    if (ip.is_v4() && group.prefix < 96) continue;  // see Cidr::contains
    if (group.networks.contains(masked(ip.bytes(), group.prefix))) return true;
  }
  return false;
}

}  // namespace balai::security::firewall
