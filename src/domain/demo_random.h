// A tiny deterministic generator (SplitMix64) for demo data: every run of
// `kefud demo` makes the same tenant.
#pragma once

#include <cstdint>
#include <string>

#include "common/crypto.h"

namespace kefu::domain {

class DemoRandom {
 public:
  explicit DemoRandom(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }
  std::string Uuid() {
    uint8_t b[16];
    for (int k = 0; k < 16; k += 8) {
      uint64_t r = Next();
      for (int i = 0; i < 8; ++i) b[k + i] = static_cast<uint8_t>(r >> (8 * i));
    }
    return UuidV4FromBytes(b);
  }

 private:
  uint64_t state_;
};

}  // namespace kefu::domain
