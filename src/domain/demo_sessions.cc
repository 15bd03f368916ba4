#include "domain/demo_sessions.h"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>

#include "domain/demo_random.h"
#include "domain/history_query.h"
#include "domain/session_item.h"

namespace kefu::domain {
namespace {

using store::SessionRow;
using store::SessionState;

const store::SessionCatalog& Catalog() {
  static const store::SessionCatalog kCatalog = {
      {{1, "easemob", "官网在线客服"}, {2, "easemob", "手机APP"}, {3, "weixin", "微信公众号"},
       {4, "weibo", "官方微博"}, {5, "phone", "400呼叫中心"}, {6, "easemob", "优信测试"}},
      {{1, "售前咨询"}, {2, "售后服务"}, {3, "VIP专线"}, {4, "技术支持"}, {5, "投诉建议"}, {6, "海外业务"}},
      {{100, 0, "咨询", 1}, {101, 100, "产品价格", 2}, {102, 100, "功能介绍", 3}, {103, 100, "活动优惠", 4},
       {200, 0, "售后", 5}, {201, 200, "退换货", 6}, {202, 200, "物流查询", 7}, {203, 200, "维修", 8},
       {204, 203, "上门维修", 9}, {205, 203, "寄修", 10}, {300, 0, "投诉", 11}, {301, 300, "服务态度", 12},
       {302, 300, "产品质量", 13}, {400, 0, "无效会话", 14}},
      {{1, "响应及时"}, {2, "专业耐心"}, {3, "问题已解决"}, {4, "态度冷淡"}, {5, "回复太慢"},
       {6, "没有解决问题"}},
  };
  return kCatalog;
}

// Origin of each channel (by index in Catalog().channels).
constexpr std::array<const char*, 6> kChannelOrigin = {"webim", "app", "weixin", "weibo", "phone", "webim"};
constexpr std::array<const char*, 12> kCustomerNames = {
    "张先生", "李女士", "王小明", "Lucy", "Tom Chen", "赵六", "Amy", "customerNiceName",
    "孙悟空", "Jack Ma", "陈小姐", "Grace"};

// Writes a summarys path from the root down to tag `id`.
void WriteTagPath(rapidjson::Writer<rapidjson::StringBuffer>& w, int64_t id) {
  std::vector<const store::SummaryTag*> path;
  for (int64_t cur = id; cur != 0;) {
    const store::SummaryTag* found = nullptr;
    for (const auto& t : Catalog().summary_tags) {
      if (t.id == cur) found = &t;
    }
    if (!found) break;
    path.insert(path.begin(), found);
    cur = found->parent_id;
  }
  w.StartArray();
  for (const auto* t : path) {
    w.StartObject();
    w.Key("id");
    w.Int64(t->id);
    w.Key("name");
    w.String(t->name.c_str());
    w.Key("color");
    w.Int64(t->color);
    w.Key("parentId");
    w.Int64(t->parent_id);
    w.EndObject();
  }
  w.EndArray();
}

const std::string& TagName(int64_t id) {
  for (const auto& t : Catalog().summary_tags) {
    if (t.id == id) return t.name;
  }
  static const std::string kNone;
  return kNone;
}

SessionRow MakeSession(int64_t n, int64_t count, DemoRandom& rng, TimeZone zone,
                       const std::vector<DemoAgentRef>& agents) {
  const auto& cat = Catalog();
  SessionRow row;
  row.session_id = rng.Uuid();
  const int roll = static_cast<int>(rng.Below(1000));
  row.state = roll < 820   ? SessionState::kTerminal
              : roll < 960 ? SessionState::kAbort
              : roll < 985 ? SessionState::kProcessing
                           : SessionState::kWait;
  const size_t ch = static_cast<size_t>(rng.Below(static_cast<int64_t>(cat.channels.size())));
  const auto& channel = cat.channels[ch];
  row.tech_channel_id = channel.id;
  row.tech_channel_type = channel.type;
  row.origin_mask = OriginBit(kChannelOrigin[ch]);
  const bool queued = row.state != SessionState::kAbort || rng.Chance(50);
  if (queued) row.queue_id = cat.queues[static_cast<size_t>(rng.Below(6))].id;

  // Times: sessions arrive in order across the window (as real ones do, which
  // also keeps index inserts near the end); taken within minutes; ended
  // within an hour.
  const int64_t span = kDemoHistoryTo - kDemoHistoryFrom;
  const int64_t created = kDemoHistoryFrom + span * n / std::max<int64_t>(count, 1) + rng.Below(60);
  row.created_at = created;
  const bool served = row.state == SessionState::kTerminal || row.state == SessionState::kProcessing;
  if (served) row.started_at = created + 5 + rng.Below(600);
  if (row.state == SessionState::kTerminal) row.stopped_at = *row.started_at + 30 + rng.Below(3600);
  if (row.state == SessionState::kAbort) row.stopped_at = created + 10 + rng.Below(900);

  // Who served: one agent, a second after a transfer.
  std::vector<const DemoAgentRef*> served_by;
  if (served && !agents.empty()) {
    for (int tries = 0; tries < 8 && served_by.empty(); ++tries) {
      const auto& a = agents[static_cast<size_t>(rng.Below(static_cast<int64_t>(agents.size())))];
      if (row.state != SessionState::kProcessing || a.may_be_processing) served_by.push_back(&a);
    }
    row.transfered = !served_by.empty() && rng.Chance(12);
    if (row.transfered) {
      const auto& b = agents[static_cast<size_t>(rng.Below(static_cast<int64_t>(agents.size())))];
      if (b.user_id != served_by[0]->user_id &&
          (row.state != SessionState::kProcessing || b.may_be_processing)) {
        served_by.push_back(&b);
      } else {
        row.transfered = false;
      }
    }
  }
  for (const auto* a : served_by) row.agent_ids.push_back(a->user_id);
  const DemoAgentRef* last = served_by.empty() ? nullptr : served_by.back();
  if (last) row.agent_user_id = last->user_id;
  row.from_agent_callback = served && rng.Chance(5);

  const bool rated = row.state == SessionState::kTerminal && rng.Chance(60);
  row.enquiry_summary = rated ? static_cast<int>(1 + rng.Below(5)) : 0;
  std::vector<int64_t> enquiry_tags;
  if (rated && rng.Chance(50)) {
    const int64_t first = row.enquiry_summary >= 4 ? 1 : 4;  // praise or complaint
    enquiry_tags.push_back(first + rng.Below(3));
  }
  row.enquiry_tag_ids = enquiry_tags;
  std::vector<int64_t> tags;
  if (row.state == SessionState::kTerminal && rng.Chance(70)) {
    static constexpr int64_t kLeaves[] = {101, 102, 103, 201, 202, 204, 205, 301, 302, 400};
    tags.push_back(kLeaves[rng.Below(10)]);
    if (rng.Chance(15)) {
      int64_t second = kLeaves[rng.Below(10)];
      if (second != tags[0]) tags.push_back(second);
    }
  }
  row.summary_ids = tags;

  const std::string customer = fmt::format("{}{}", kCustomerNames[static_cast<size_t>(rng.Below(12))],
                                           rng.Below(100000));
  const std::string visitor_id = rng.Uuid();
  const std::string customer_id = rng.Uuid();
  row.customer_names = CustomerNames(customer, customer);

  // The item's values, in kSessionItemKeys order.
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str_or_null = [&](const std::optional<std::string>& s) {
    if (s) {
      w.String(s->c_str(), static_cast<rapidjson::SizeType>(s->size()));
    } else {
      w.Null();
    }
  };
  auto time_or_null = [&](const std::optional<int64_t>& t) {
    str_or_null(t ? std::optional<std::string>(FormatLocalDateTime(*t, zone)) : std::nullopt);
  };
  static constexpr const char* kStates[] = {"Wait", "Processing", "Terminal", "Abort"};
  w.StartArray();
  w.String(row.session_id.c_str());
  w.Int64(1);
  w.Int64(channel.id);
  if (row.queue_id) {
    w.Int64(*row.queue_id);
  } else {
    w.Null();
  }
  w.String(kStates[static_cast<int>(row.state)]);
  w.Uint64(1493629159358939434ULL + static_cast<uint64_t>(n) * 7919);  // above 2^53, as published
  w.Int64(served ? 2 + rng.Below(80) : 1);
  str_or_null(row.agent_user_id);
  str_or_null(last ? std::optional<std::string>(last->nicename) : std::nullopt);
  str_or_null(last ? std::optional<std::string>(last->true_name) : std::nullopt);
  w.Int64(1);
  time_or_null(row.created_at);
  time_or_null(row.started_at);
  time_or_null(row.started_at ? std::optional<int64_t>(*row.started_at + 20) : std::nullopt);
  time_or_null(row.stopped_at);
  w.String(channel.type.c_str());
  if (tags.empty()) {
    w.Null();
  } else {
    w.StartArray();
    for (int64_t t : tags) WriteTagPath(w, t);
    w.EndArray();
  }
  str_or_null(rated ? std::optional<std::string>(std::to_string(row.enquiry_summary)) : std::nullopt);
  str_or_null(rated ? std::optional<std::string>(row.enquiry_summary >= 4 ? "满意" : "一般")
                    : std::nullopt);
  w.String(channel.name.c_str());
  w.StartArray();
  w.String(kChannelOrigin[ch]);
  w.EndArray();
  w.Null();  // comment
  w.StartObject();
  w.Key("userId");
  w.String(visitor_id.c_str());
  w.Key("nicename");
  w.String(customer.c_str());
  w.Key("username");
  w.String(fmt::format("visitor{}", n).c_str());
  w.EndObject();
  w.StartObject();
  w.Key("customerId");
  w.String(customer_id.c_str());
  w.Key("customerNiceName");
  w.String(customer.c_str());
  w.Key("customerTrueName");
  w.Null();
  w.EndObject();
  w.Null();  // messageDetail
  if (channel.type == "phone") {
    w.String(fmt::format("record-{}.mp3", n).c_str());
  } else {
    w.Null();
  }
  w.Bool(row.from_agent_callback);
  w.Bool(row.transfered);
  w.Null();  // visitorUserTags
  if (enquiry_tags.empty()) {
    w.Null();
  } else {
    w.StartArray();
    for (int64_t t : enquiry_tags) w.Int64(t);
    w.EndArray();
  }
  w.Null();  // chatMessages
  w.Null();  // lastChatMessage
  if (served_by.empty()) {
    w.Null();
  } else {
    w.StartArray();
    for (const auto* a : served_by) {
      w.StartObject();
      w.Key("userId");
      w.String(a->user_id.c_str());
      w.Key("username");
      w.String(a->username.c_str());
      w.Key("nicename");
      w.String(a->nicename.c_str());
      w.Key("trueName");
      w.String(a->true_name.c_str());
      w.Key("tenantId");
      w.String("1");
      w.EndObject();
    }
    w.EndArray();
  }
  w.Null();  // agentQueueSet
  if (enquiry_tags.empty()) {
    w.Null();
  } else {
    w.String(Catalog().enquiry_tags[static_cast<size_t>(enquiry_tags[0] - 1)].name.c_str());
  }
  if (tags.empty()) {
    w.Null();
  } else {
    std::string detail;
    for (int64_t t : tags) detail += (detail.empty() ? "" : ",") + TagName(t);
    w.String(detail.c_str());
  }
  w.EndArray();
  row.values.assign(buf.GetString(), buf.GetSize());
  return row;
}

}  // namespace

Status GenerateDemoSessions(store::Store& store, store::TenantId tenant, TimeZone zone,
                            const std::vector<DemoAgentRef>& agents,
                            const DemoSessionOptions& options) {
  KEFU_RETURN_IF_ERROR(store.SaveCatalog(tenant, Catalog()));
  DemoRandom rng(0x6b656675);  // "kefu"
  std::vector<SessionRow> batch;
  for (int64_t n = 0; n < options.count;) {
    batch.clear();
    const int64_t end = std::min(options.count, n + options.batch);
    for (; n < end; ++n) batch.push_back(MakeSession(n, options.count, rng, zone, agents));
    KEFU_RETURN_IF_ERROR(store.ImportSessions(tenant, batch, nullptr));
    if (options.progress) options.progress(n);
  }
  return store.Optimize();
}

}  // namespace kefu::domain
