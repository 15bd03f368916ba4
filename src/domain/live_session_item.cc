#include "domain/live_session_item.h"

#include "domain/history_query.h"
#include "domain/item_values_builder.h"
#include "domain/session_item.h"

namespace kefu::domain {
namespace {

using store::SessionState;

constexpr const char* kStateNames[] = {"Wait", "Processing", "Terminal", "Abort"};

std::optional<int64_t> Seconds(const std::optional<int64_t>& millis) {
  if (!millis) return std::nullopt;
  return *millis / 1000;
}

std::optional<std::string> Local(const std::optional<int64_t>& millis, TimeZone zone) {
  if (!millis) return std::nullopt;
  return FormatLocalDateTime(*millis / 1000, zone);
}

void WriteObject(ItemValuesBuilder::Writer& w,
                 std::initializer_list<std::pair<const char*, const std::optional<std::string>*>> members) {
  w.StartObject();
  for (const auto& [key, value] : members) {
    w.Key(key);
    if (*value) {
      w.String((*value)->data(), static_cast<rapidjson::SizeType>((*value)->size()));
    } else {
      w.Null();
    }
  }
  w.EndObject();
}

}  // namespace

store::SessionRow RenderLiveSession(const store::LiveSession& s, const LiveItemContext& c,
                                    const store::AgentNameMap& agents) {
  store::SessionRow row;
  row.session_id = s.session_id;
  row.state = s.state;
  row.origin_mask = OriginBit(c.channel.fields.origin_type);
  row.tech_channel_id = c.channel.id;
  row.tech_channel_type = c.channel.fields.type;
  row.queue_id = s.queue_id;
  row.agent_user_id = s.agent_user_id;
  row.transfered = s.transfered;
  row.from_agent_callback = s.from_agent_callback;
  row.created_at = s.created_at / 1000;
  row.started_at = Seconds(s.started_at);
  row.stopped_at = Seconds(s.stopped_at);
  row.customer_names = CustomerNames(c.visitor.nicename, c.visitor.nicename);
  row.agent_ids = s.agent_user_set;
  row.summary_ids = s.summary_ids;
  row.enquiry_summary = s.enquiry_summary;
  row.enquiry_tag_ids = s.enquiry_tag_ids;

  ItemValuesBuilder item;
  item.Text(ItemField::kServiceSessionId, s.session_id);
  item.Integer(ItemField::kTenantId, s.tenant_id);
  item.Integer(ItemField::kTechChannelId, c.channel.id);
  item.IntegerOrNull(ItemField::kQueueId, s.queue_id);
  item.Text(ItemField::kState, kStateNames[static_cast<int>(s.state)]);
  item.Integer(ItemField::kChatGroupId, s.chat_group_id);
  item.Integer(ItemField::kMessageSeqId, s.last_seq);
  item.TextOrNull(ItemField::kAgentUserId, s.agent_user_id);
  if (s.agent_user_id) {
    auto it = agents.find(*s.agent_user_id);
    if (it != agents.end()) {
      item.Text(ItemField::kAgentUserNiceName, it->second.nicename);
      item.Text(ItemField::kAgentUserTrueName, it->second.true_name);
    }
  }
  item.Integer(ItemField::kAgentUserType, 1);
  item.Text(ItemField::kCreateDatetime, FormatLocalDateTime(s.created_at / 1000, c.zone));
  item.TextOrNull(ItemField::kStartDateTime, Local(s.started_at, c.zone));
  item.TextOrNull(ItemField::kAgentLastMessageDate, Local(s.agent_last_message_at, c.zone));
  item.TextOrNull(ItemField::kStopDateTime, Local(s.stopped_at, c.zone));
  item.Text(ItemField::kTechChannelType, c.channel.fields.type);
  if (s.summarys) {
    item.Set(ItemField::kSummarys, [&](ItemValuesBuilder::Writer& w) {
      w.RawValue(s.summarys->data(), s.summarys->size(), rapidjson::kArrayType);
    });
  }
  item.TextOrNull(ItemField::kSummarysDetail, s.summarys_detail);
  if (s.enquiry_summary > 0) item.Text(ItemField::kEnquirySummary, std::to_string(s.enquiry_summary));
  item.TextOrNull(ItemField::kEnquiryDetail, s.enquiry_detail);
  if (!s.enquiry_tag_ids.empty()) {
    item.Set(ItemField::kEnquiryTags, [&](ItemValuesBuilder::Writer& w) {
      w.StartArray();
      for (int64_t id : s.enquiry_tag_ids) w.Int64(id);
      w.EndArray();
    });
  }
  item.TextOrNull(ItemField::kEnquiryTagNames, s.enquiry_tag_names);
  item.TextOrNull(ItemField::kComment, s.comment);
  item.Text(ItemField::kTechChannelName, c.channel.fields.name);
  item.Set(ItemField::kOriginType, [&](ItemValuesBuilder::Writer& w) {
    w.StartArray();
    w.String(c.channel.fields.origin_type.c_str());
    w.EndArray();
  });
  const std::optional<std::string> visitor_id = c.visitor.user_id, nicename = c.visitor.nicename,
                                   username = c.visitor.username, customer_id = c.visitor.customer_id, none;
  item.Set(ItemField::kVisitorUser, [&](ItemValuesBuilder::Writer& w) {
    WriteObject(w, {{"userId", &visitor_id}, {"nicename", &nicename}, {"username", &username}});
  });
  item.Set(ItemField::kCustomer, [&](ItemValuesBuilder::Writer& w) {
    WriteObject(w, {{"customerId", &customer_id}, {"customerNiceName", &nicename}, {"customerTrueName", &none}});
  });
  item.Boolean(ItemField::kFromAgentCallback, s.from_agent_callback);
  item.Boolean(ItemField::kTransfered, s.transfered);
  if (!s.agent_user_set.empty()) {
    const std::string tenant = std::to_string(s.tenant_id);
    item.Set(ItemField::kAgentUserSet, [&](ItemValuesBuilder::Writer& w) {
      w.StartArray();
      for (const auto& id : s.agent_user_set) {
        const auto it = agents.find(id);
        const store::AgentNames names = it == agents.end() ? store::AgentNames{} : it->second;
        const std::optional<std::string> uid = id, un = names.username, nn = names.nicename, tn = names.true_name,
                                         t = tenant;
        WriteObject(w, {{"userId", &uid}, {"username", &un}, {"nicename", &nn}, {"trueName", &tn}, {"tenantId", &t}});
      }
      w.EndArray();
    });
  }
  row.values = item.Finish();
  return row;
}

}  // namespace kefu::domain
