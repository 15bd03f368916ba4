// Randomness, digests and password hashing, all from libsodium.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kefu {

// Initializes libsodium; safe to call more than once. Returns false if it cannot.
bool InitCrypto();

// 32 lowercase hex digits of 128 random bits: an access token.
std::string NewToken();

// A random UUID version 4, lowercase and hyphenated.
std::string NewUuidV4();

// A UUID version 4 made from 16 given bytes (for deterministic demo data).
std::string UuidV4FromBytes(const uint8_t bytes[16]);

// SHA-256 of `data` as 32 raw bytes.
std::string Sha256(std::string_view data);

// HMAC-SHA256 of `data` under `key` (any length) as 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);

// Lowercase hex of bytes, and back (nullopt if not hex).
std::string ToHex(std::string_view bytes);
std::optional<std::string> FromHex(std::string_view hex);

// Equality of two byte strings in time independent of where they differ.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// Argon2id cost; the defaults are OWASP's minimum.
struct PasswordHashParams {
  uint32_t memory_kib = 19 * 1024;
  uint32_t passes = 2;
};

// Argon2id in libsodium's self-describing string form (salt and cost inside),
// or nullopt if the machine cannot provide the memory.
std::optional<std::string> HashPassword(std::string_view password, const PasswordHashParams& params);

// True if `password` matches a hash made by HashPassword.
bool VerifyPassword(std::string_view password, const std::string& hash);

}  // namespace kefu
