#include "common/crypto.h"

#include <sodium.h>

#include <fmt/format.h>

namespace kefu {

bool InitCrypto() { return sodium_init() >= 0; }

std::string NewToken() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return std::string(hex, sizeof bytes * 2);
}

std::string UuidV4FromBytes(const uint8_t in[16]) {
  uint8_t b[16];
  for (int i = 0; i < 16; ++i) b[i] = in[i];
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return fmt::format(
      "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-"
      "{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
      b[14], b[15]);
}

std::string NewUuidV4() {
  uint8_t bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  return UuidV4FromBytes(bytes);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state state;
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  crypto_auth_hmacsha256_final(&state, out);
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string Sha256(std::string_view data) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string ToHex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

std::optional<std::string> FromHex(std::string_view hex) {
  std::string out(hex.size() / 2, '\0');
  size_t len = 0;
  if (hex.size() % 2 != 0 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(), hex.size(),
                     nullptr, &len, nullptr) != 0 ||
      len != out.size()) {
    return std::nullopt;
  }
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string> HashPassword(std::string_view password,
                                        const PasswordHashParams& params) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.passes,
                            static_cast<size_t>(params.memory_kib) * 1024,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return std::nullopt;
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace kefu
