#include "security/firewall/client_address.h"

namespace balai::security::firewall {
namespace {

std::string_view trim(std::string_view text) {
  // Optional whitespace around list elements (RFC 9110, section 5.6.1).
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

IpAddress resolve_client(const IpAddress& peer, std::string_view x_forwarded_for,
                         const CidrList& trusted_proxies) {
  IpAddress client = peer;
  if (trim(x_forwarded_for).empty()) return client;
  std::string_view rest = x_forwarded_for;
  // Invariant: `client` is a trusted proxy, so the entry to its left is worth reading.
  while (trusted_proxies.contains(client)) {
    if (rest.empty()) break;  // the whole chain was trusted: its left end is the client
    const size_t comma = rest.rfind(',');
    const std::string_view entry =
        trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    auto address = IpAddress::parse(entry);
    if (!address) break;  // malformed: keep the last good address
    client = *address;
  }
  return client;
}

}  // namespace balai::security::firewall
