// The 36 fields of the history item (CONTRACT §6) by name: the published key,
// where its value sits in SessionRow::values, and the kind of value an import
// may give (docs/decisions.md, "History import"). The import's checks, the
// demo generator and the JSON writer all read this one list.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kefu::domain {

// In the published key order; a field's value is at this index in
// SessionRow::values (IndexOf).
enum class ItemField : uint8_t {
  kServiceSessionId, kTenantId, kTechChannelId, kQueueId, kState, kChatGroupId,
  kMessageSeqId, kAgentUserId, kAgentUserNiceName, kAgentUserTrueName, kAgentUserType,
  kCreateDatetime, kStartDateTime, kAgentLastMessageDate, kStopDateTime, kTechChannelType,
  kSummarys, kEnquirySummary, kEnquiryDetail, kTechChannelName, kOriginType, kComment,
  kVisitorUser, kCustomer, kMessageDetail, kRecordFileUrl, kFromAgentCallback, kTransfered,
  kVisitorUserTags, kEnquiryTags, kChatMessages, kLastChatMessage, kAgentUserSet,
  kAgentQueueSet, kEnquiryTagNames, kSummarysDetail,
};

// What an imported value may be. Absent means null; only kSessionId, kTenant
// and kState are required.
enum class ItemKind : uint8_t {
  kSessionId,      // a non-empty string of at most 128 characters
  kTenant,         // the path's tenant, a number or a decimal string; stored as the number
  kState,          // "Wait", "Processing", "Terminal" or "Abort"
  kInteger,        // a 64-bit integer, or null
  kWideInteger,    // an integer from -2^63 to 2^64-1 kept exact, or null
  kText,           // a string, or null
  kTextOrInteger,  // a string, an integer, or null
  kDateTime,       // "yyyy-MM-dd HH:mm:ss" in the tenant's zone, or null
  kRating,         // "0" to "5", or null
  kBoolean,        // true, false, or null; null is stored as false
  kStrings,        // an array of strings, or null
  kIntegers,       // an array of integers, or null
  kTagPaths,       // an array of non-empty arrays of tags with an integer id, or null
  kVisitorObject,  // an object whose nicename is a string or null, or null
  kCustomerObject, // an object whose customerNiceName is a string or null, or null
  kAgents,         // an array of objects with a string userId, or null
  kAnyJson,        // any JSON, kept as given
};

struct ItemFieldInfo {
  ItemField field;
  std::string_view key;
  ItemKind kind;
};

inline constexpr std::array<ItemFieldInfo, 36> kItemFields = {{
    {ItemField::kServiceSessionId, "serviceSessionId", ItemKind::kSessionId},
    {ItemField::kTenantId, "tenantId", ItemKind::kTenant},
    {ItemField::kTechChannelId, "techChannelId", ItemKind::kInteger},
    {ItemField::kQueueId, "queueId", ItemKind::kInteger},
    {ItemField::kState, "state", ItemKind::kState},
    {ItemField::kChatGroupId, "chatGroupId", ItemKind::kWideInteger},
    {ItemField::kMessageSeqId, "messageSeqId", ItemKind::kInteger},
    {ItemField::kAgentUserId, "agentUserId", ItemKind::kText},
    {ItemField::kAgentUserNiceName, "agentUserNiceName", ItemKind::kText},
    {ItemField::kAgentUserTrueName, "agentUserTrueName", ItemKind::kText},
    {ItemField::kAgentUserType, "agentUserType", ItemKind::kTextOrInteger},
    {ItemField::kCreateDatetime, "createDatetime", ItemKind::kDateTime},
    {ItemField::kStartDateTime, "startDateTime", ItemKind::kDateTime},
    {ItemField::kAgentLastMessageDate, "agentLastMessageDate", ItemKind::kDateTime},
    {ItemField::kStopDateTime, "stopDateTime", ItemKind::kDateTime},
    {ItemField::kTechChannelType, "techChannelType", ItemKind::kText},
    {ItemField::kSummarys, "summarys", ItemKind::kTagPaths},
    {ItemField::kEnquirySummary, "enquirySummary", ItemKind::kRating},
    {ItemField::kEnquiryDetail, "enquiryDetail", ItemKind::kText},
    {ItemField::kTechChannelName, "techChannelName", ItemKind::kText},
    {ItemField::kOriginType, "originType", ItemKind::kStrings},
    {ItemField::kComment, "comment", ItemKind::kText},
    {ItemField::kVisitorUser, "visitorUser", ItemKind::kVisitorObject},
    {ItemField::kCustomer, "customer", ItemKind::kCustomerObject},
    {ItemField::kMessageDetail, "messageDetail", ItemKind::kText},
    {ItemField::kRecordFileUrl, "recordFileUrl", ItemKind::kText},
    {ItemField::kFromAgentCallback, "fromAgentCallback", ItemKind::kBoolean},
    {ItemField::kTransfered, "transfered", ItemKind::kBoolean},
    {ItemField::kVisitorUserTags, "visitorUserTags", ItemKind::kAnyJson},
    {ItemField::kEnquiryTags, "enquiryTags", ItemKind::kIntegers},
    {ItemField::kChatMessages, "chatMessages", ItemKind::kAnyJson},
    {ItemField::kLastChatMessage, "lastChatMessage", ItemKind::kAnyJson},
    {ItemField::kAgentUserSet, "agentUserSet", ItemKind::kAgents},
    {ItemField::kAgentQueueSet, "agentQueueSet", ItemKind::kAnyJson},
    {ItemField::kEnquiryTagNames, "enquiryTagNames", ItemKind::kText},
    {ItemField::kSummarysDetail, "summarysDetail", ItemKind::kText},
}};

// The index of a field's value in SessionRow::values.
constexpr size_t IndexOf(ItemField field) { return static_cast<size_t>(field); }

// Each row of kItemFields sits at its field's index, so a field finds its row directly.
constexpr bool FieldsInIndexOrder() {
  for (size_t i = 0; i < kItemFields.size(); ++i) {
    if (IndexOf(kItemFields[i].field) != i) return false;
  }
  return true;
}
static_assert(FieldsInIndexOrder());

constexpr const ItemFieldInfo& InfoOf(ItemField field) { return kItemFields[IndexOf(field)]; }

}  // namespace kefu::domain
