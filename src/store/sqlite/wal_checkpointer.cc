#include "store/sqlite/wal_checkpointer.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <chrono>

#include "common/limits.h"
#include "store/sqlite/sqlite_connection.h"

namespace kefu::store::sqlite {

WalCheckpointer::WalCheckpointer(std::string path, std::mutex& writer)
    : path_(std::move(path)), writer_(writer), thread_([this] { Run(); }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WalCheckpointer::Run() {
  std::unique_ptr<Connection> conn;
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, limits::kWalCheckInterval, [this] { return stop_; })) {
    if (!conn) {
      auto opened = Connection::Open(path_, &writer_);
      if (!opened.ok()) {
        spdlog::warn("WAL checkpoint: {}", opened.status().detail());
        continue;
      }
      conn = std::move(opened).value();
      // Wait only briefly for readers, as the process's writers queue behind
      // the restart meanwhile, and in steps of a millisecond: SQLite's own
      // busy timeout sleeps up to 100 ms at a time, well past the moment
      // readers let go. A busy moment is retried on the next check.
      sqlite3_busy_handler(
          conn->handle(),
          [](void*, int tries) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return tries < limits::kWalCheckpointBusyMs ? 1 : 0;
          },
          nullptr);
    }
    // First copy what the WAL holds into the database beside the writers
    // (this is the slow part: it ends with an fsync of the database)...
    int frames = 0;
    if (sqlite3_wal_checkpoint_v2(conn->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, nullptr) !=
            SQLITE_OK ||
        frames < limits::kWalRestartFrames) {
      continue;
    }
    // ... then, holding the writers, copy the few frames committed since and
    // start the WAL over once no reader needs it.
    std::lock_guard write(writer_);
    const int rc = sqlite3_wal_checkpoint_v2(conn->handle(), nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      spdlog::debug("WAL restart at {} frames: {}; retrying in a moment", frames, sqlite3_errstr(rc));
    }
  }
}

}  // namespace kefu::store::sqlite
