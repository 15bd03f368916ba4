// The messages waiting to be written to one WebSocket: the SocketPeer the API
// sends through from any thread, drained by the session on its I/O thread.
// Bounded, so a client that does not read costs at most max_queued_bytes.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <string>

#include "api/api_types.h"

namespace kefu::http {

class SocketOutbox : public api::SocketPeer {
 public:
  explicit SocketOutbox(std::size_t max_queued_bytes) : max_queued_bytes_(max_queued_bytes) {}

  // api::SocketPeer; thread-safe.
  bool Send(std::string text) override;
  void Close(int code, std::string reason) override;

  // Called, from whichever thread made it so, when there is something new to
  // do: a first message in an empty queue, a close, a drop. It must only
  // post to the I/O thread. Set once, before the session reads Next.
  void OnWork(std::function<void()> wake);

  // What the writer does next, taken from the queue (I/O thread): drop the
  // client first, else write the oldest message, else send the close frame
  // (once), else wait for work.
  struct Next {
    enum Kind { kNothing, kMessage, kClose, kDrop } kind = kNothing;
    std::string text;  // kMessage
    int code = 0;      // kClose
    std::string reason;
  };
  Next Take();

  // True once the queue passed its bound: the client must be dropped now,
  // even while a write to it is stuck (thread-safe).
  bool Dropped();

  // The socket is gone: later Sends and Closes do nothing.
  void Shut();

 private:
  void Wake();  // with mu_ held

  const std::size_t max_queued_bytes_;
  std::mutex mu_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool shut_ = false;
  bool drop_ = false;
  bool closing_ = false;      // Close was called: no more Sends
  bool close_taken_ = false;  // the writer has the close frame
  int close_code_ = 0;
  std::string close_reason_;
  std::function<void()> wake_;
};

}  // namespace kefu::http
