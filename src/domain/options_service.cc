#include "domain/options_service.h"

#include <fmt/format.h>

#include "common/text.h"

namespace kefu::domain {
namespace {

using Seconds = std::optional<int64_t>;

// A count of seconds from `lowest` to `highest`; null clears it when
// `nullable`. kAbsent leaves `*out` alone.
Status SecondsField(const RawField& f, const char* name, int64_t lowest, int64_t highest, bool nullable,
                    Seconds* out) {
  if (f.kind == RawField::Kind::kAbsent) return Status::Ok();
  if (f.kind == RawField::Kind::kNull && nullable) {
    out->reset();
    return Status::Ok();
  }
  if (f.kind != RawField::Kind::kInteger || f.integer < lowest || f.integer > highest) {
    return Error(Code::kInvalidParam, fmt::format("{} must be {}an integer from {} to {}", name,
                                                  nullable ? "null or " : "", lowest, highest));
  }
  *out = f.integer;
  return Status::Ok();
}

Status Boolean(const RawField& f, const char* name, bool* out) {
  if (f.kind == RawField::Kind::kAbsent) return Status::Ok();
  if (f.kind != RawField::Kind::kBoolean) return Error(Code::kInvalidParam, fmt::format("{} must be true or false", name));
  *out = f.integer != 0;
  return Status::Ok();
}

// A system message: null or "" for none.
Status Message(const RawField& f, const char* name, std::optional<std::string>* out) {
  if (f.kind == RawField::Kind::kAbsent) return Status::Ok();
  if (f.kind == RawField::Kind::kNull || (f.kind == RawField::Kind::kText && f.text.empty())) {
    out->reset();
    return Status::Ok();
  }
  auto length = f.kind == RawField::Kind::kText ? Utf8Length(f.text) : std::nullopt;
  if (!length || *length > kMaxSystemMessageLength) {
    return Error(Code::kInvalidParam,
                 fmt::format("{} must be null or a string of at most {} characters", name, kMaxSystemMessageLength));
  }
  *out = f.text;
  return Status::Ok();
}

// What `in` asks for, applied to `o`.
Status Apply(const OptionsInput& in, store::TenantOptions& o) {
  if (in.default_queue_id.kind == RawField::Kind::kInteger) {
    o.default_queue_id = in.default_queue_id.integer;
  } else if (in.default_queue_id.kind == RawField::Kind::kNull) {
    o.default_queue_id.reset();
  } else if (in.default_queue_id.kind != RawField::Kind::kAbsent) {
    return Error(Code::kInvalidParam, "defaultQueueId must be a skill group's id or null");
  }
  KEFU_RETURN_IF_ERROR(SecondsField(in.wait_timeout_seconds, "waitTimeoutSeconds", 1, kMaxSessionTimeoutSeconds,
                                    true, &o.wait_timeout_seconds));
  KEFU_RETURN_IF_ERROR(SecondsField(in.idle_close_seconds, "idleCloseSeconds", 1, kMaxSessionTimeoutSeconds, true,
                                    &o.idle_close_seconds));
  Seconds grace = o.offline_grace_seconds;
  KEFU_RETURN_IF_ERROR(
      SecondsField(in.offline_grace_seconds, "offlineGraceSeconds", 0, kMaxOfflineGraceSeconds, false, &grace));
  o.offline_grace_seconds = *grace;
  KEFU_RETURN_IF_ERROR(Boolean(in.enquiry_invite_on_close, "enquiryInviteOnClose", &o.enquiry_invite_on_close));
  KEFU_RETURN_IF_ERROR(Boolean(in.agents_set_own_capacity, "agentsSetOwnCapacity", &o.agents_set_own_capacity));
  KEFU_RETURN_IF_ERROR(Message(in.greeting, "greeting", &o.greeting));
  return Message(in.off_duty_message, "offDutyMessage", &o.off_duty_message);
}

}  // namespace

Result<store::TenantOptions> OptionsService::Get(store::TenantId tenant) { return store_.GetOptions(tenant); }

Result<store::TenantOptions> OptionsService::Update(store::TenantId tenant, const OptionsInput& input) {
  // Checked against the defaults first, so a bad body never reaches the store.
  store::TenantOptions scratch;
  KEFU_RETURN_IF_ERROR(Apply(input, scratch));
  return store_.UpdateOptions(tenant, [&](store::TenantOptions& o) { (void)Apply(input, o); });
}

}  // namespace kefu::domain
