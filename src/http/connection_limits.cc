#include "http/connection_limits.h"

#include <algorithm>

namespace kefu::http {

ConnectionLimits::ConnectionLimits(size_t per_address, size_t body_bytes, std::vector<std::string> exempt)
    : per_address_(per_address), body_bytes_(body_bytes), exempt_(std::move(exempt)) {}

ConnectionLimits::AddressSlot ConnectionLimits::EnterAddress(const std::string& address) {
  AddressSlot slot;
  if (per_address_ == 0 || std::find(exempt_.begin(), exempt_.end(), address) != exempt_.end()) return slot;
  std::lock_guard lock(mu_);
  size_t& held = by_address_[address];
  if (held >= per_address_) {
    slot.ok_ = false;
    return slot;
  }
  ++held;
  slot.limits_ = this;
  slot.address_ = address;
  return slot;
}

void ConnectionLimits::LeaveAddress(const std::string& address) {
  std::lock_guard lock(mu_);
  auto it = by_address_.find(address);
  if (it != by_address_.end() && --it->second == 0) by_address_.erase(it);
}

size_t ConnectionLimits::connections_of(const std::string& address) {
  std::lock_guard lock(mu_);
  auto it = by_address_.find(address);
  return it == by_address_.end() ? 0 : it->second;
}

ConnectionLimits::AddressSlot::AddressSlot(AddressSlot&& other) noexcept
    : limits_(other.limits_), address_(std::move(other.address_)), ok_(other.ok_) {
  other.limits_ = nullptr;
}

ConnectionLimits::AddressSlot::~AddressSlot() {
  if (limits_) limits_->LeaveAddress(address_);
}

ConnectionLimits::BodyBytes ConnectionLimits::ReserveBody(size_t bytes) {
  BodyBytes reserved;
  size_t now = body_bytes_in_flight_.load();
  do {
    if (now + bytes > body_bytes_) {
      reserved.ok_ = false;
      return reserved;
    }
  } while (!body_bytes_in_flight_.compare_exchange_weak(now, now + bytes));
  reserved.limits_ = this;
  reserved.bytes_ = bytes;
  return reserved;
}

ConnectionLimits::BodyBytes::BodyBytes(BodyBytes&& other) noexcept
    : limits_(other.limits_), bytes_(other.bytes_), ok_(other.ok_) {
  other.limits_ = nullptr;
}

ConnectionLimits::BodyBytes& ConnectionLimits::BodyBytes::operator=(BodyBytes&& other) noexcept {
  if (this != &other) {
    Release();
    limits_ = other.limits_;
    bytes_ = other.bytes_;
    ok_ = other.ok_;
    other.limits_ = nullptr;
  }
  return *this;
}

ConnectionLimits::BodyBytes::~BodyBytes() { Release(); }

void ConnectionLimits::BodyBytes::Release() {
  if (limits_) limits_->body_bytes_in_flight_ -= bytes_;
  limits_ = nullptr;
}

}  // namespace kefu::http
