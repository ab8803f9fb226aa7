#pragma once
// Bearer secrets (session cookies, API tokens): 256 random bits, shown to their holder once and
// stored only as a digest, so a copy of the database lets nobody sign in. A fast digest is
// enough: with 256 bits of entropy there is nothing to guess, unlike a password.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace balai::security {

// `prefix` followed by 32 random bytes in unpadded base64url (43 characters). The prefix tells
// a leaked secret's kind at a glance (and lets secret scanners find it): "bt_" API tokens.
std::string new_secret_token(std::string_view prefix = "");

// Lower-case hex SHA-256 of a token: the form in which tokens are stored and looked up.
std::string token_digest(std::string_view token);

// True when `text` could be a token with that prefix (right length and alphabet), checked
// before any database lookup so junk never reaches a query.
bool looks_like_token(std::string_view text, std::string_view prefix = "");

// Compares two byte strings in time that depends only on their lengths (digests of codes and
// tokens), so a timing side channel tells nothing about how much of a guess was right.
bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace balai::security
