#include <fmt/format.h>

#include <cstdio>

#include "cli/commands.h"

namespace kefu::cli {

void AddDbOption(CLI::App& cmd, std::string& db) {
  cmd.add_option("--db", db, "database: a file path, sqlite:PATH or postgresql://…")
      ->envname("KEFU_DB")
      ->capture_default_str();
}

int Fail(const std::string& message) {
  fmt::print(stderr, "kefud: {}\n", message);
  return 1;
}

}  // namespace kefu::cli
