// Keeps the write-ahead log from growing without bound.
//
// SQLite's automatic checkpoint copies the WAL into the database after
// commits, but it can start the file over only at a moment when no reader is
// using it. Under steady load some reader always is, and the WAL grew by
// about 8 KB per token issued: 5 GB after 40 s of token requests, with every
// lookup slower as it grew. This thread checkpoints ten times a second beside
// the writers and, once the WAL holds limits::kWalRestartFrames, waits
// briefly for a moment without readers and starts it over.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace kefu::store::sqlite {

class WalCheckpointer {
 public:
  // `writer` is the process's write lock (ConnectionPool): held while
  // checkpointing, so the process's own writers wait on it rather than in
  // SQLite's busy loop.
  WalCheckpointer(std::string path, std::mutex& writer);
  ~WalCheckpointer();  // stops the thread

  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  void Run();

  const std::string path_;
  std::mutex& writer_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace kefu::store::sqlite
