// The kefud subcommands (CONTRACT §9). Each Add…Command registers its options
// on the app and sets `run` to the code that executes it and returns the exit
// status. Errors print one line to stderr.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace kefu::cli {

using Runner = std::function<int()>;

// Options every subcommand shares.
struct CommonOptions {
  std::string db = "var/kefu.db";
};

void AddServeCommand(CLI::App& app, Runner& run);
void AddMigrateCommand(CLI::App& app, Runner& run);
void AddTenantCommands(CLI::App& app, Runner& run);
void AddCredentialCommands(CLI::App& app, Runner& run);
void AddRoleCommands(CLI::App& app, Runner& run);
void AddDemoCommand(CLI::App& app, Runner& run);
void AddImportCommand(CLI::App& app, Runner& run);
void AddExplainCommand(CLI::App& app, Runner& run);

// Adds --db (with KEFU_DB) to a subcommand.
void AddDbOption(CLI::App& cmd, std::string& db);

// Prints "kefud: <message>" to stderr and returns 1.
int Fail(const std::string& message);

}  // namespace kefu::cli
