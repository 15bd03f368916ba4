// What every connection of the process shares before any request is
// authenticated (docs/decisions.md, "Connections"): how many connections
// each client address holds, and how many bytes of request bodies are being
// read at once. Thread-safe: the I/O threads share one.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace kefu::http {

class ConnectionLimits {
 public:
  // `per_address` 0: no cap. `exempt`: addresses not counted (trusted proxies).
  ConnectionLimits(size_t per_address, size_t body_bytes, std::vector<std::string> exempt);

  // A connection of `address`, counted until destroyed; !ok() when the
  // address already holds its cap (nothing is counted then).
  class AddressSlot {
   public:
    AddressSlot() = default;
    AddressSlot(AddressSlot&& other) noexcept;
    AddressSlot& operator=(AddressSlot&&) = delete;
    ~AddressSlot();
    bool ok() const { return ok_; }

   private:
    friend class ConnectionLimits;
    ConnectionLimits* limits_ = nullptr;
    std::string address_;
    bool ok_ = true;
  };
  AddressSlot EnterAddress(const std::string& address);

  // `bytes` of body about to be read, released when destroyed; !ok() when
  // the process is already reading its budget's worth.
  class BodyBytes {
   public:
    BodyBytes() = default;
    BodyBytes(BodyBytes&& other) noexcept;
    BodyBytes& operator=(BodyBytes&& other) noexcept;
    ~BodyBytes();
    bool ok() const { return ok_; }

   private:
    friend class ConnectionLimits;
    void Release();
    ConnectionLimits* limits_ = nullptr;
    size_t bytes_ = 0;
    bool ok_ = true;
  };
  BodyBytes ReserveBody(size_t bytes);

  size_t connections_of(const std::string& address);
  size_t body_bytes_in_flight() const { return body_bytes_in_flight_; }

 private:
  void LeaveAddress(const std::string& address);

  const size_t per_address_;
  const size_t body_bytes_;
  const std::vector<std::string> exempt_;
  std::mutex mu_;
  std::unordered_map<std::string, size_t> by_address_;
  std::atomic<size_t> body_bytes_in_flight_{0};
};

}  // namespace kefu::http
