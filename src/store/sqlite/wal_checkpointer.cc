#include "store/sqlite/wal_checkpointer.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <filesystem>
#include <system_error>

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
  const std::string wal = path_ + "-wal";
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, limits::kWalCheckInterval, [this] { return stop_; })) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(wal, ec);
    if (ec || size <= limits::kWalTruncateBytes) continue;
    if (!conn) {
      auto opened = Connection::Open(path_, &writer_);
      if (!opened.ok()) {
        spdlog::warn("WAL checkpoint: {}", opened.status().detail());
        continue;
      }
      conn = std::move(opened).value();
      // Wait only briefly for readers: the process's writers queue behind
      // this meanwhile. A busy moment is retried on the next check.
      sqlite3_busy_timeout(conn->handle(), limits::kWalCheckpointBusyMs);
    }
    std::lock_guard write(writer_);
    int frames = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(conn->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                             &frames, &copied);
    if (rc == SQLITE_OK) {
      spdlog::debug("WAL checkpoint: truncated the WAL at {} MiB", size >> 20);
    } else {
      spdlog::debug("WAL checkpoint: {} at {} MiB; retrying in a moment", sqlite3_errstr(rc), size >> 20);
    }
  }
}

}  // namespace kefu::store::sqlite
