#include "domain/channel_service.h"

#include <array>
#include <limits>

#include "common/crypto.h"
#include "common/text.h"

namespace kefu::domain {
namespace {

constexpr std::array<std::string_view, 5> kTypes = {"easemob", "weixin", "weibo", "phone", "api"};
constexpr std::array<std::string_view, 5> kOrigins = {"webim", "app", "weixin", "weibo", "phone"};

Status NoSuchChannel() { return Error(Code::kNoSuchResource, "no such channel"); }

// A channelId of the path: a positive decimal, else it names nothing.
Result<int64_t> ChannelIdOf(std::string_view path_id) {
  auto id = ParseInteger(path_id, 1, std::numeric_limits<int64_t>::max());
  if (!id) return NoSuchChannel();
  return *id;
}

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& allowed, std::string_view value) {
  for (std::string_view a : allowed) {
    if (a == value) return true;
  }
  return false;
}

Result<store::ChannelFields> FieldsOf(const ChannelInput& in) {
  store::ChannelFields out;
  if (in.name.kind != RawField::Kind::kText) return Error(Code::kInvalidParam, "techChannelName must be a string");
  auto length = Utf8Length(in.name.text);
  if (in.name.text.find_first_not_of(' ') == std::string::npos || !length || *length > kMaxChannelNameLength) {
    return Error(Code::kInvalidParam, "techChannelName must be 1 to 100 characters, not only spaces");
  }
  out.name = in.name.text;
  if (in.type.kind != RawField::Kind::kText || !OneOf(kTypes, in.type.text)) {
    return Error(Code::kInvalidParam, "techChannelType must be easemob, weixin, weibo, phone or api");
  }
  out.type = in.type.text;
  if (in.origin_type.kind != RawField::Kind::kText || !OneOf(kOrigins, in.origin_type.text)) {
    return Error(Code::kInvalidParam, "originType must be webim, app, weixin, weibo or phone");
  }
  if (!ChannelMayGive(out.type, in.origin_type.text)) {
    return Error(Code::kInvalidParam,
                 "a channel of techChannelType " + out.type + " does not give originType " + in.origin_type.text);
  }
  out.origin_type = in.origin_type.text;
  if (in.queue_id.kind == RawField::Kind::kInteger) {
    out.queue_id = in.queue_id.integer;
  } else if (in.queue_id.given()) {
    return Error(Code::kInvalidParam, "queueId must be a skill group's id or null");
  }
  return out;
}

// 256 random bits as 64 hex digits.
std::string NewChannelSecret() { return NewToken() + NewToken(); }

}  // namespace

bool ChannelMayGive(std::string_view type, std::string_view origin_type) {
  if (type == "api") return OneOf(kOrigins, origin_type);
  if (type == "easemob") return origin_type == "webim" || origin_type == "app";
  return type == origin_type;
}

Result<std::vector<store::ChannelRecord>> ChannelService::List(store::TenantId tenant) {
  return store_.ListChannels(tenant);
}

Result<store::ChannelRecord> ChannelService::Create(store::TenantId tenant, const ChannelInput& input) {
  auto fields = FieldsOf(input);
  if (!fields.ok()) return fields.status();
  return store_.CreateChannel(tenant, *fields, NewUuidV4(), NewChannelSecret());
}

Result<store::ChannelRecord> ChannelService::Update(store::TenantId tenant, std::string_view path_id,
                                                    const ChannelInput& input) {
  auto id = ChannelIdOf(path_id);
  if (!id.ok()) return id.status();
  auto fields = FieldsOf(input);
  if (!fields.ok()) return fields.status();
  KEFU_RETURN_IF_ERROR(store_.UpdateChannel(tenant, *id, *fields));
  return Find(tenant, *id);
}

Status ChannelService::Delete(store::TenantId tenant, std::string_view path_id) {
  auto id = ChannelIdOf(path_id);
  if (!id.ok()) return id.status();
  return store_.DeleteChannel(tenant, *id);
}

Result<store::ChannelRecord> ChannelService::NewSecret(store::TenantId tenant, std::string_view path_id) {
  auto id = ChannelIdOf(path_id);
  if (!id.ok()) return id.status();
  auto channel = Find(tenant, *id);
  if (!channel.ok()) return channel.status();
  const std::string secret = NewChannelSecret();
  KEFU_RETURN_IF_ERROR(store_.SetChannelIdentity(tenant, *id, channel->channel_key, secret));
  channel->secret = secret;
  return channel;
}

Result<store::ChannelRecord> ChannelService::Find(store::TenantId tenant, int64_t id) {
  auto found = store_.FindChannel(tenant, id);
  if (!found.ok()) return found.status();
  if (!*found) return NoSuchChannel();  // deleted meanwhile
  return **found;
}

}  // namespace kefu::domain
