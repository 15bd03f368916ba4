// kefud: the one binary of kefu (CONTRACT §9).
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "common/crypto.h"

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("kefud"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  if (!kefu::InitCrypto()) return kefu::cli::Fail("libsodium could not be initialized");

  CLI::App app{"kefud: a self-hosted Kefu open-platform API server"};
  app.require_subcommand(1);
  kefu::cli::Runner run;
  kefu::cli::AddServeCommand(app, run);
  kefu::cli::AddDemoCommand(app, run);
  kefu::cli::AddTenantCommands(app, run);
  kefu::cli::AddCredentialCommands(app, run);
  kefu::cli::AddRoleCommands(app, run);
  kefu::cli::AddImportCommand(app, run);
  kefu::cli::AddExplainCommand(app, run);
  kefu::cli::AddMigrateCommand(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, as every kefud error (CONTRACT §9).
    kefu::cli::Fail(std::string(e.what()) + " (see kefud --help)");
    return e.get_exit_code();
  }
  return run ? run() : 1;
}
