#pragma once
// External identifiers. Internal integer keys never leave the server; what the outside sees is
// random enough that nobody can guess a neighbour's id.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/time.h"

namespace balai::core {

// Fills `out` from the kernel's CSPRNG (getrandom). Aborts if the kernel cannot supply
// randomness, because every id and token after that would be guessable.
void random_bytes(std::span<uint8_t> out);

// A UUIDv7 (RFC 9562) in canonical lower-case text form: 48 bits of milliseconds, then 74
// random bits. Sorts by creation time, which keeps B-tree inserts local.
std::string new_uuid_v7(Timestamp now);

// True for a canonical lower-case UUID text ("xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx", any version).
bool is_uuid(std::string_view text);

// 16 random bytes as 32 lower-case hex characters (request ids and similar).
std::string random_hex_id();

// Lower-case hex of bytes.
std::string to_hex(std::span<const uint8_t> bytes);

}  // namespace balai::core
