// kefud demo: the demo tenant of CONTRACT §9.
#include <fmt/format.h>

#include <chrono>

#include "cli/commands.h"
#include "domain/demo_seed.h"
#include "store/store.h"

namespace kefu::cli {

void AddDemoCommand(CLI::App& app, Runner& run) {
  struct Args {
    std::string db = "var/kefu.db";
    int agents = 40;
    int64_t sessions = 10000;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "demo", "Create demo tenant 1 with the published example credentials and data");
  AddDbOption(*cmd, args->db);
  cmd->add_option("--agents", args->agents, "generated agents besides the published one")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  cmd->add_option("--sessions", args->sessions, "generated history sessions")
      ->check(CLI::Range(int64_t{0}, int64_t{100000000}))
      ->capture_default_str();
  cmd->callback([args, &run] {
    run = [args] {
      auto store = store::OpenStore(args->db);
      if (!store.ok()) return Fail(store.status().detail());
      domain::DemoOptions options;
      options.agents = args->agents;
      options.sessions = args->sessions;
      const auto start = std::chrono::steady_clock::now();
      options.session_progress = [start, total = args->sessions](int64_t done) {
        if (done % 100000 != 0 && done != total) return;
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        fmt::print(stderr, "kefud: {} of {} sessions ({:.1f} s)\n", done, total, secs);
      };
      auto report = domain::SeedDemo(**store, options);
      if (!report.ok()) return Fail(report.status().detail());
      if (!report->created) {
        fmt::print(stderr, "kefud: demo tenant 1 already exists in {}; left unchanged\n", args->db);
      } else {
        fmt::print(stderr,
                   "kefud: demo tenant 1 created in {} with {} agents and {} sessions\n"
                   "  clientId {}  secretId {}\n"
                   "  agents log in as {} / {} (an admin){}\n"
                   "  visitors enter through channel 1: channelKey {}\n"
                   "    identity secret {}\n",
                   args->db, report->agents, report->sessions, domain::kDemoClientId, domain::kDemoSecretId,
                   domain::kDemoAgentUsername, domain::kDemoAgentPassword,
                   report->agents > 1 ? fmt::format(", agent0001@demo.kefu.local … agent{:04}@demo.kefu.local / {} "
                                                    "(skill groups 售前咨询 and 售后服务)",
                                                    report->agents - 1, domain::kDemoGeneratedPassword)
                                      : std::string(),
                   domain::kDemoChannelKey, domain::kDemoChannelSecret);
      }
      return 0;
    };
  });
}

}  // namespace kefu::cli
