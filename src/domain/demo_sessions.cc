#include "domain/demo_sessions.h"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>

#include "domain/demo_random.h"
#include "domain/history_query.h"
#include "domain/item_values_builder.h"
#include "domain/session_item.h"

namespace kefu::domain {
namespace {

using store::SessionRow;
using store::SessionState;

const store::SessionCatalog& Catalog() {
  static const store::SessionCatalog kCatalog = {
      {{1, "easemob", "官网在线客服", "webim"}, {2, "easemob", "手机APP", "app"}, {3, "weixin", "微信公众号", "weixin"},
       {4, "weibo", "官方微博", "weibo"}, {5, "phone", "400呼叫中心", "phone"}, {6, "easemob", "优信测试", "webim"}},
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

// One generated session: the row, and what its item shows besides.
struct DemoSession {
  SessionRow row;
  size_t channel = 0;  // index in Catalog().channels
  bool served = false, rated = false;
  std::vector<const DemoAgentRef*> served_by;  // first to last
  std::string customer, visitor_id, customer_id;
};

// The state, the channel and the queue. The steps below draw from `rng` in
// this order; keep it, or the same seed makes other sessions.
void PickStateAndChannel(DemoRandom& rng, DemoSession& s) {
  SessionRow& row = s.row;
  const auto& cat = Catalog();
  row.session_id = rng.Uuid();
  const int roll = static_cast<int>(rng.Below(1000));
  row.state = roll < 820   ? SessionState::kTerminal
              : roll < 960 ? SessionState::kAbort
              : roll < 985 ? SessionState::kProcessing
                           : SessionState::kWait;
  s.channel = static_cast<size_t>(rng.Below(static_cast<int64_t>(cat.channels.size())));
  const auto& channel = cat.channels[s.channel];
  row.tech_channel_id = channel.id;
  row.tech_channel_type = channel.type;
  row.origin_mask = OriginBit(Catalog().channels[s.channel].origin_type);
  const bool queued = row.state != SessionState::kAbort || rng.Chance(50);
  if (queued) row.queue_id = cat.queues[static_cast<size_t>(rng.Below(6))].id;
  s.served = row.state == SessionState::kTerminal || row.state == SessionState::kProcessing;
}

// Sessions arrive in order across the window (as real ones do, which also
// keeps index inserts near the end); taken within minutes; ended within an hour.
void PickTimes(int64_t n, int64_t count, DemoRandom& rng, DemoSession& s) {
  SessionRow& row = s.row;
  const int64_t span = kDemoHistoryTo - kDemoHistoryFrom;
  const int64_t created = kDemoHistoryFrom + span * n / std::max<int64_t>(count, 1) + rng.Below(60);
  row.created_at = created;
  if (s.served) row.started_at = created + 5 + rng.Below(600);
  if (row.state == SessionState::kTerminal) row.stopped_at = *row.started_at + 30 + rng.Below(3600);
  if (row.state == SessionState::kAbort) row.stopped_at = created + 10 + rng.Below(900);
}

// Who served: one agent, a second after a transfer.
void PickAgents(const std::vector<DemoAgentRef>& agents, DemoRandom& rng, DemoSession& s) {
  SessionRow& row = s.row;
  auto may_serve = [&](const DemoAgentRef& a) {
    return row.state != SessionState::kProcessing || a.may_be_processing;
  };
  auto any_agent = [&]() -> const DemoAgentRef& {
    return agents[static_cast<size_t>(rng.Below(static_cast<int64_t>(agents.size())))];
  };
  if (s.served && !agents.empty()) {
    for (int tries = 0; tries < 8 && s.served_by.empty(); ++tries) {
      const auto& a = any_agent();
      if (may_serve(a)) s.served_by.push_back(&a);
    }
    row.transfered = !s.served_by.empty() && rng.Chance(12);
    if (row.transfered) {
      const auto& b = any_agent();
      if (b.user_id != s.served_by[0]->user_id && may_serve(b)) {
        s.served_by.push_back(&b);
      } else {
        row.transfered = false;
      }
    }
  }
  for (const auto* a : s.served_by) row.agent_ids.push_back(a->user_id);
  if (!s.served_by.empty()) row.agent_user_id = s.served_by.back()->user_id;
  row.from_agent_callback = s.served && rng.Chance(5);
}

// The rating, its satisfaction tag, and the session's summary tags.
void PickRatingAndTags(DemoRandom& rng, DemoSession& s) {
  SessionRow& row = s.row;
  s.rated = row.state == SessionState::kTerminal && rng.Chance(60);
  row.enquiry_summary = s.rated ? static_cast<int>(1 + rng.Below(5)) : 0;
  if (s.rated && rng.Chance(50)) {
    const int64_t first = row.enquiry_summary >= 4 ? 1 : 4;  // praise or complaint
    row.enquiry_tag_ids.push_back(first + rng.Below(3));
  }
  if (row.state == SessionState::kTerminal && rng.Chance(70)) {
    static constexpr int64_t kLeaves[] = {101, 102, 103, 201, 202, 204, 205, 301, 302, 400};
    row.summary_ids.push_back(kLeaves[rng.Below(10)]);
    if (rng.Chance(15)) {
      int64_t second = kLeaves[rng.Below(10)];
      if (second != row.summary_ids[0]) row.summary_ids.push_back(second);
    }
  }
}

void PickCustomer(DemoRandom& rng, DemoSession& s) {
  s.customer = fmt::format("{}{}", kCustomerNames[static_cast<size_t>(rng.Below(12))],
                           rng.Below(100000));
  s.visitor_id = rng.Uuid();
  s.customer_id = rng.Uuid();
  s.row.customer_names = CustomerNames(s.customer, s.customer);
}

std::optional<std::string> LocalTime(std::optional<int64_t> t, TimeZone zone) {
  return t ? std::optional<std::string>(FormatLocalDateTime(*t, zone)) : std::nullopt;
}

// Writes {"key":"value",…}; a nullptr value writes null.
void WriteTextObject(ItemValuesBuilder::Writer& w,
                     std::initializer_list<std::pair<const char*, const char*>> members) {
  w.StartObject();
  for (const auto& [key, value] : members) {
    w.Key(key);
    if (value) {
      w.String(value);
    } else {
      w.Null();
    }
  }
  w.EndObject();
}

void WriteVisitorAndCustomer(const DemoSession& s, int64_t n, ItemValuesBuilder& item) {
  const std::string username = fmt::format("visitor{}", n);
  item.Set(ItemField::kVisitorUser, [&](ItemValuesBuilder::Writer& w) {
    WriteTextObject(w, {{"userId", s.visitor_id.c_str()},
                        {"nicename", s.customer.c_str()},
                        {"username", username.c_str()}});
  });
  item.Set(ItemField::kCustomer, [&](ItemValuesBuilder::Writer& w) {
    WriteTextObject(w, {{"customerId", s.customer_id.c_str()},
                        {"customerNiceName", s.customer.c_str()},
                        {"customerTrueName", nullptr}});
  });
}

// The agents who served, as agentUserSet shows them.
void WriteAgentUserSet(const DemoSession& s, ItemValuesBuilder& item) {
  if (s.served_by.empty()) return;
  item.Set(ItemField::kAgentUserSet, [&](ItemValuesBuilder::Writer& w) {
    w.StartArray();
    for (const auto* a : s.served_by) {
      WriteTextObject(w, {{"userId", a->user_id.c_str()},
                          {"username", a->username.c_str()},
                          {"nicename", a->nicename.c_str()},
                          {"trueName", a->true_name.c_str()},
                          {"tenantId", "1"}});
    }
    w.EndArray();
  });
}

// summarys, summarysDetail, enquiryTags and enquiryTagNames.
void WriteTags(const SessionRow& row, ItemValuesBuilder& item) {
  if (!row.summary_ids.empty()) {
    item.Set(ItemField::kSummarys, [&](ItemValuesBuilder::Writer& w) {
      w.StartArray();
      for (int64_t t : row.summary_ids) WriteTagPath(w, t);
      w.EndArray();
    });
    std::string detail;
    for (int64_t t : row.summary_ids) detail += (detail.empty() ? "" : ",") + TagName(t);
    item.Text(ItemField::kSummarysDetail, detail);
  }
  if (!row.enquiry_tag_ids.empty()) {
    item.Set(ItemField::kEnquiryTags, [&](ItemValuesBuilder::Writer& w) {
      w.StartArray();
      for (int64_t t : row.enquiry_tag_ids) w.Int64(t);
      w.EndArray();
    });
    const auto& first = Catalog().enquiry_tags[static_cast<size_t>(row.enquiry_tag_ids[0] - 1)];
    item.Text(ItemField::kEnquiryTagNames, first.name);
  }
}

// The item's values; fields left unset (comment, chatMessages, …) are null.
std::string ItemValues(const DemoSession& s, int64_t n, DemoRandom& rng, TimeZone zone) {
  static constexpr const char* kStates[] = {"Wait", "Processing", "Terminal", "Abort"};
  const SessionRow& row = s.row;
  const auto& channel = Catalog().channels[s.channel];
  const DemoAgentRef* last = s.served_by.empty() ? nullptr : s.served_by.back();
  ItemValuesBuilder item;
  item.Text(ItemField::kServiceSessionId, row.session_id);
  item.Integer(ItemField::kTenantId, 1);
  item.Integer(ItemField::kTechChannelId, channel.id);
  item.IntegerOrNull(ItemField::kQueueId, row.queue_id);
  item.Text(ItemField::kState, kStates[static_cast<int>(row.state)]);
  item.Set(ItemField::kChatGroupId, [&](ItemValuesBuilder::Writer& w) {
    w.Uint64(1493629159358939434ULL + static_cast<uint64_t>(n) * 7919);  // above 2^53, as published
  });
  item.Integer(ItemField::kMessageSeqId, s.served ? 2 + rng.Below(80) : 1);
  item.TextOrNull(ItemField::kAgentUserId, row.agent_user_id);
  if (last) item.Text(ItemField::kAgentUserNiceName, last->nicename);
  if (last) item.Text(ItemField::kAgentUserTrueName, last->true_name);
  item.Integer(ItemField::kAgentUserType, 1);
  item.TextOrNull(ItemField::kCreateDatetime, LocalTime(row.created_at, zone));
  item.TextOrNull(ItemField::kStartDateTime, LocalTime(row.started_at, zone));
  if (row.started_at) {
    item.Text(ItemField::kAgentLastMessageDate, FormatLocalDateTime(*row.started_at + 20, zone));
  }
  item.TextOrNull(ItemField::kStopDateTime, LocalTime(row.stopped_at, zone));
  item.Text(ItemField::kTechChannelType, channel.type);
  if (s.rated) {
    item.Text(ItemField::kEnquirySummary, std::to_string(row.enquiry_summary));
    item.Text(ItemField::kEnquiryDetail, row.enquiry_summary >= 4 ? "满意" : "一般");
  }
  item.Text(ItemField::kTechChannelName, channel.name);
  item.Set(ItemField::kOriginType, [&](ItemValuesBuilder::Writer& w) {
    w.StartArray();
    w.String(Catalog().channels[s.channel].origin_type.c_str());
    w.EndArray();
  });
  WriteVisitorAndCustomer(s, n, item);
  if (channel.type == "phone") {
    item.Text(ItemField::kRecordFileUrl, fmt::format("record-{}.mp3", n));
  }
  item.Boolean(ItemField::kFromAgentCallback, row.from_agent_callback);
  item.Boolean(ItemField::kTransfered, row.transfered);
  WriteAgentUserSet(s, item);
  WriteTags(row, item);
  return item.Finish();
}

SessionRow MakeSession(int64_t n, int64_t count, DemoRandom& rng, TimeZone zone,
                       const std::vector<DemoAgentRef>& agents) {
  DemoSession s;
  PickStateAndChannel(rng, s);
  PickTimes(n, count, rng, s);
  PickAgents(agents, rng, s);
  PickRatingAndTags(rng, s);
  PickCustomer(rng, s);
  s.row.values = ItemValues(s, n, rng, zone);
  return std::move(s.row);
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
