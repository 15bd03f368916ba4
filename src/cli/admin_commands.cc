// tenant, credential, role and migrate: short operator commands that print
// JSON on stdout.
#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>

#include "api/query_string.h"
#include "cli/commands.h"
#include "domain/history_query.h"
#include "domain/tenant_admin.h"
#include "store/store.h"

namespace kefu::cli {
namespace {

struct Args {
  std::string db = "var/kefu.db";
  std::string name;
  std::string timezone = "UTC+8";
  std::optional<int64_t> id;
  int64_t tenant = 0;
  std::string client_id;
  std::optional<std::string> description;
};

// Opens the store or prints why not.
std::unique_ptr<store::Store> Open(const std::string& db, int& exit_code) {
  auto store = store::OpenStore(db);
  if (!store.ok()) {
    exit_code = Fail(store.status().detail());
    return nullptr;
  }
  return std::move(store).value();
}

void PrintCredential(const domain::IssuedCredential& c) {
  fmt::print("{{\"tenantId\":{},\"clientId\":\"{}\",\"secretId\":\"{}\"}}\n", c.tenant_id,
             c.client_id, c.secret_id);
}

std::string Json(const std::function<void(rapidjson::Writer<rapidjson::StringBuffer>&)>& write) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  write(w);
  return buf.GetString();
}

}  // namespace

void AddMigrateCommand(CLI::App& app, Runner& run) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("migrate", "Create or upgrade the database schema, then exit");
  AddDbOption(*cmd, args->db);
  cmd->callback([args, &run] {
    run = [args] {
      int code = 0;
      auto store = Open(args->db, code);
      if (!store) return code;
      fmt::print(stderr, "kefud: schema of {} is up to date\n", args->db);
      return 0;
    };
  });
}

void AddExplainCommand(CLI::App& app, Runner& run) {
  struct ExplainArgs {
    std::string db = "var/kefu.db";
    int64_t tenant = 1;
    std::string query;
  };
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand(
      "explain", "Print how the database runs a history query (its query plans)");
  AddDbOption(*cmd, args->db);
  cmd->add_option("--tenant", args->tenant, "tenant id")->capture_default_str();
  cmd->add_option("query", args->query,
                  "the query string of GET …/serviceSessionHistorys, e.g. 'agentUserId=…&page=2'")
      ->required();
  cmd->callback([args, &run] {
    run = [args] {
      int code = 0;
      auto store = Open(args->db, code);
      if (!store) return code;
      api::QueryString query(args->query);
      auto filter = domain::ParseHistoryQuery(
          [&](std::string_view name) { return query.GetList(name); });
      if (!filter.ok()) return Fail(filter.status().detail());
      auto plan = store->ExplainHistory(args->tenant, *filter);
      if (!plan.ok()) return Fail(plan.status().detail());
      fmt::print("{}", *plan);
      return 0;
    };
  });
}

void AddTenantCommands(CLI::App& app, Runner& run) {
  auto args = std::make_shared<Args>();
  auto* tenant = app.add_subcommand("tenant", "Manage tenants");
  tenant->require_subcommand(1);

  auto* create = tenant->add_subcommand("create", "Create a tenant and its first credential pair");
  AddDbOption(*create, args->db);
  create->add_option("--name", args->name, "tenant name")->required();
  create->add_option("--id", args->id, "tenant id (default: the next free one)");
  create->add_option("--timezone", args->timezone, "fixed offset like UTC+8")->capture_default_str();
  create->callback([args, &run] {
    run = [args] {
      int code = 0;
      auto store = Open(args->db, code);
      if (!store) return code;
      auto made = domain::TenantAdmin(*store).CreateTenant(args->name, args->id, args->timezone);
      if (!made.ok()) return Fail(made.status().detail());
      PrintCredential(*made);
      return 0;
    };
  });

  auto* list = tenant->add_subcommand("list", "List tenants as JSON lines");
  AddDbOption(*list, args->db);
  list->callback([args, &run] {
    run = [args] {
      int code = 0;
      auto store = Open(args->db, code);
      if (!store) return code;
      auto tenants = domain::TenantAdmin(*store).ListTenants();
      if (!tenants.ok()) return Fail(tenants.status().detail());
      for (const auto& t : *tenants) {
        fmt::print("{}\n", Json([&](auto& w) {
                     w.StartObject();
                     w.Key("tenantId");
                     w.Int64(t.id);
                     w.Key("name");
                     w.String(t.name.c_str());
                     w.Key("timeZone");
                     w.String(TimeZoneName(t.zone).c_str());
                     w.Key("status");
                     w.String(t.status.c_str());
                     w.EndObject();
                   }));
      }
      return 0;
    };
  });
}

void AddCredentialCommands(CLI::App& app, Runner& run) {
  auto args = std::make_shared<Args>();
  auto* credential = app.add_subcommand("credential", "Manage clientId/secretId pairs");
  credential->require_subcommand(1);

  auto* add = credential->add_subcommand("add", "Add a credential pair to a tenant (rotation)");
  AddDbOption(*add, args->db);
  add->add_option("--tenant", args->tenant, "tenant id")->required();
  add->callback([args, &run] {
    run = [args] {
      int code = 0;
      auto store = Open(args->db, code);
      if (!store) return code;
      auto made = domain::TenantAdmin(*store).AddCredential(args->tenant);
      if (!made.ok()) return Fail(made.status().detail());
      PrintCredential(*made);
      return 0;
    };
  });

  auto* revoke = credential->add_subcommand(
      "revoke", "Revoke a credential pair and every token issued from it");
  AddDbOption(*revoke, args->db);
  revoke->add_option("--client-id", args->client_id, "the clientId to revoke")->required();
  revoke->callback([args, &run] {
    run = [args] {
      int code = 0;
      auto store = Open(args->db, code);
      if (!store) return code;
      Status s = domain::TenantAdmin(*store).RevokeCredential(args->client_id);
      if (!s.ok()) return Fail(s.detail());
      fmt::print(stderr, "kefud: revoked {}\n", args->client_id);
      return 0;
    };
  });
}

void AddRoleCommands(CLI::App& app, Runner& run) {
  auto args = std::make_shared<Args>();
  auto* role = app.add_subcommand("role", "Manage custom roles (extension)");
  role->require_subcommand(1);
  auto* create = role->add_subcommand("create", "Create a custom role in a tenant");
  AddDbOption(*create, args->db);
  create->add_option("--tenant", args->tenant, "tenant id")->required();
  create->add_option("--name", args->name, "role name")->required();
  create->add_option("--description", args->description, "role description");
  create->callback([args, &run] {
    run = [args] {
      int code = 0;
      auto store = Open(args->db, code);
      if (!store) return code;
      auto made = domain::TenantAdmin(*store).CreateRole(args->tenant, args->name, args->description);
      if (!made.ok()) return Fail(made.status().detail());
      fmt::print("{}\n", Json([&](auto& w) {
                   w.StartObject();
                   w.Key("role_id");
                   w.Int64(made->id);
                   w.Key("tenantId");
                   w.Int64(made->tenant_id);
                   w.Key("role_name");
                   w.String(made->name.c_str());
                   w.EndObject();
                 }));
      return 0;
    };
  });
}

}  // namespace kefu::cli
