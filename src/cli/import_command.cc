// kefud import: load history sessions from an NDJSON file (what the query
// returns, one item per line) in transactions of 1,000, with progress.
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "api/json_body.h"
#include "cli/commands.h"
#include "domain/history_service.h"
#include "store/store.h"

namespace kefu::cli {
namespace {

struct ImportArgs {
  std::string db = "var/kefu.db";
  int64_t tenant = 0;
  std::string file;
};

// Progress on stderr: rewritten in place on a terminal, a line per 100,000
// items otherwise (logs stay short).
class Progress {
 public:
  Progress() : tty_(isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()) {}
  void Update(int64_t done, bool final = false) {
    if (!final && !tty_ && done % 100000 != 0) return;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    fmt::print(stderr, "{}kefud: imported {} sessions ({:.0f}/s){}", tty_ ? "\r" : "", done,
               secs > 0 ? done / secs : 0.0, tty_ && !final ? "" : "\n");
  }

 private:
  bool tty_;
  std::chrono::steady_clock::time_point start_;
};

int Import(const ImportArgs& args) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (args.file != "-") {
    file.open(args.file);
    if (!file) return Fail(fmt::format("cannot open {}", args.file));
    in = &file;
  }
  auto store = store::OpenStore(args.db);
  if (!store.ok()) return Fail(store.status().detail());
  auto tenant = (*store)->FindTenant(args.tenant);
  if (!tenant.ok()) return Fail(tenant.status().detail());
  if (!*tenant) return Fail(fmt::format("no tenant {}", args.tenant));

  domain::HistoryService history(**store);
  Progress progress;
  int64_t imported = 0, line_number = 0;
  // Fresh documents per batch: a reused Document keeps its memory pool growing.
  std::vector<rapidjson::Document> docs;
  docs.reserve(domain::kMaxImportItems);  // no reallocation: batch points into it
  std::vector<domain::ImportItem> batch;
  auto flush = [&]() -> bool {
    if (batch.empty()) return true;
    auto done = history.Import(args.tenant, (*tenant)->zone, batch);
    if (!done.ok()) {
      Fail(fmt::format("{}; {} sessions were imported before it (running the fixed file again is safe)",
                       done.status().detail(), imported));
      return false;
    }
    imported += *done;
    batch.clear();
    docs.clear();
    progress.Update(imported);
    return true;
  };
  std::string line;
  while (std::getline(*in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto& doc = docs.emplace_back();
    // The same reading as the API's import body (api/json_body.h).
    if (!api::ParseJson(line, doc).ok()) {
      return Fail(fmt::format("line {}: not valid JSON; {} sessions were imported before it",
                              line_number, imported));
    }
    batch.push_back({fmt::format("line {}", line_number), &doc});
    if (batch.size() == domain::kMaxImportItems && !flush()) return 1;
  }
  if (!flush()) return 1;
  progress.Update(imported, true);
  if (Status s = (*store)->Optimize(); !s.ok()) return Fail(s.detail());
  return 0;
}

}  // namespace

void AddImportCommand(CLI::App& app, Runner& run) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand(
      "import", "Import history sessions from an NDJSON file (one query item per line)");
  AddDbOption(*cmd, args->db);
  cmd->add_option("--tenant", args->tenant, "tenant id")->required();
  cmd->add_option("file", args->file, "NDJSON file, or - for standard input")->required();
  cmd->callback([args, &run] { run = [args] { return Import(*args); }; });
}

}  // namespace kefu::cli
