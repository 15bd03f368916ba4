// kefud demo: the demo tenant of CONTRACT §9.
#include <fmt/format.h>

#include "cli/commands.h"
#include "domain/demo_seed.h"
#include "store/store.h"

namespace kefu::cli {

void AddDemoCommand(CLI::App& app, Runner& run) {
  struct Args {
    std::string db = "var/kefu.db";
    int agents = 40;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "demo", "Create demo tenant 1 with the published example credentials and data");
  AddDbOption(*cmd, args->db);
  cmd->add_option("--agents", args->agents, "generated agents besides the published one")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  cmd->callback([args, &run] {
    run = [args] {
      auto store = store::OpenStore(args->db);
      if (!store.ok()) return Fail(store.status().detail());
      domain::DemoOptions options;
      options.agents = args->agents;
      auto report = domain::SeedDemo(**store, options);
      if (!report.ok()) return Fail(report.status().detail());
      if (!report->created) {
        fmt::print(stderr, "kefud: demo tenant 1 already exists in {}; left unchanged\n", args->db);
      } else {
        fmt::print(stderr,
                   "kefud: demo tenant 1 created in {} with {} agents\n"
                   "  clientId {}  secretId {}\n",
                   args->db, report->agents, domain::kDemoClientId, domain::kDemoSecretId);
      }
      return 0;
    };
  });
}

}  // namespace kefu::cli
