#include "http/socket_outbox.h"

#include <utility>

namespace kefu::http {

bool SocketOutbox::Send(std::string text) {
  std::lock_guard lock(mu_);
  if (shut_ || drop_ || closing_) return false;
  if (queued_bytes_ + text.size() > max_queued_bytes_) {
    // The client reads slower than we write: drop it rather than hold more.
    drop_ = true;
    queue_.clear();
    queued_bytes_ = 0;
    Wake();
    return false;
  }
  const bool was_empty = queue_.empty();
  queued_bytes_ += text.size();
  queue_.push_back(std::move(text));
  if (was_empty) Wake();
  return true;
}

void SocketOutbox::Close(int code, std::string reason) {
  std::lock_guard lock(mu_);
  if (shut_ || drop_ || closing_) return;
  closing_ = true;
  close_code_ = code;
  close_reason_ = std::move(reason);
  Wake();
}

void SocketOutbox::OnWork(std::function<void()> wake) {
  std::lock_guard lock(mu_);
  wake_ = std::move(wake);
}

SocketOutbox::Next SocketOutbox::Take() {
  std::lock_guard lock(mu_);
  Next next;
  if (shut_) return next;
  if (drop_) {
    next.kind = Next::kDrop;
  } else if (!queue_.empty()) {
    next.kind = Next::kMessage;
    next.text = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= next.text.size();
  } else if (closing_ && !close_taken_) {
    close_taken_ = true;
    next.kind = Next::kClose;
    next.code = close_code_;
    next.reason = close_reason_;
  }
  return next;
}

bool SocketOutbox::Dropped() {
  std::lock_guard lock(mu_);
  return drop_;
}

void SocketOutbox::Shut() {
  std::lock_guard lock(mu_);
  shut_ = true;
  queue_.clear();
  queued_bytes_ = 0;
  wake_ = nullptr;
}

void SocketOutbox::Wake() {
  if (wake_) wake_();
}

}  // namespace kefu::http
