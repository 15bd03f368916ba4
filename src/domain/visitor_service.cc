#include "domain/visitor_service.h"

#include "common/crypto.h"
#include "common/text.h"
#include "domain/token_service.h"

namespace kefu::domain {
namespace {

Status NoSuchChannel() { return Error(Code::kNoSuchResource, "no such channel"); }

// An optional string field: absent and null give nullopt.
Result<std::optional<std::string>> OptionalText(const RawField& f, const char* name, size_t max_length) {
  if (!f.given()) return std::optional<std::string>();
  auto length = f.kind == RawField::Kind::kText ? Utf8Length(f.text) : std::nullopt;
  if (!length || *length < 1 || *length > max_length) {
    return Error(Code::kInvalidParam, std::string(name) + " must be a string of 1 to " + std::to_string(max_length) +
                                          " characters");
  }
  return std::optional<std::string>(f.text);
}

// A random positive 63-bit chatGroupId: most exceed 2^53, as LIVE §1 warns.
int64_t NewChatGroupId() {
  const std::string bytes = *FromHex(NewToken().substr(0, 16));
  uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  v &= 0x7fffffffffffffffULL;
  return v == 0 ? 1 : static_cast<int64_t>(v);
}

}  // namespace

std::string IdentitySignature(std::string_view secret, std::string_view username) {
  return ToHex(HmacSha256(secret, username));
}

Result<EnteredVisitor> VisitorService::Enter(std::string_view path_tenant, const VisitorEntry& entry) {
  if (entry.channel_key.kind != RawField::Kind::kText || entry.channel_key.text.empty()) {
    return Error(Code::kInvalidParam, "channelKey must be a channel's key");
  }
  auto username = OptionalText(entry.username, "username", kMaxVisitorNameLength);
  if (!username.ok()) return username.status();
  auto nicename = OptionalText(entry.nicename, "nicename", kMaxVisitorNameLength);
  if (!nicename.ok()) return nicename.status();
  if (entry.identity_signature.given() && entry.identity_signature.kind != RawField::Kind::kText) {
    return Error(Code::kInvalidParam, "identitySignature must be a string");
  }
  if (entry.visitor_token.given() && entry.visitor_token.kind != RawField::Kind::kText) {
    return Error(Code::kInvalidParam, "visitorToken must be a string");
  }

  auto channel = channels_.FindChannelByKey(entry.channel_key.text);
  if (!channel.ok()) return channel.status();
  auto tenant = ParseTenantId(path_tenant);
  if (!*channel || !tenant || (*channel)->tenant_id != *tenant) return NoSuchChannel();

  store::Visitor fresh;
  fresh.tenant_id = *tenant;
  fresh.channel_id = (*channel)->id;
  if (*username) {
    const std::string& secret = (*channel)->secret.value_or("");
    const auto signature = entry.identity_signature.given() ? FromHex(AsciiLower(entry.identity_signature.text))
                                                            : std::nullopt;
    if (secret.empty() || !signature || !ConstantTimeEqual(*signature, HmacSha256(secret, **username))) {
      return Error(Code::kBadToken, "identitySignature is not the HMAC-SHA256 of the username under the channel's secret");
    }
    fresh.identified = true;
    fresh.username = **username;
    fresh.nicename = nicename->value_or(**username);
    return EnterNew(std::move(fresh), nicename->has_value());
  }
  if (entry.visitor_token.given() && entry.visitor_token.text.size() == 32) {
    const int64_t now = clock_.NowSeconds();
    auto kept = visitors_.RenewVisitorToken(Sha256(entry.visitor_token.text), *tenant, fresh.channel_id, now + ttl_, now);
    if (!kept.ok()) return kept.status();
    if (*kept) return EnteredVisitor{entry.visitor_token.text, ttl_, std::move(**kept)};
  }
  fresh.username = "webim-visitor-" + NewToken().substr(0, 12);
  fresh.nicename = nicename->value_or(fresh.username);
  return EnterNew(std::move(fresh), false);
}

Result<EnteredVisitor> VisitorService::EnterNew(store::Visitor fresh, bool set_nicename) {
  EnteredVisitor out{NewToken(), ttl_, {}};
  const int64_t now = clock_.NowSeconds();
  fresh.user_id = NewUuidV4();
  fresh.customer_id = NewUuidV4();
  fresh.chat_group_id = NewChatGroupId();
  fresh.created_at = now;
  auto entered = visitors_.EnterVisitor(fresh, set_nicename, Sha256(out.token), now + ttl_, now);
  if (!entered.ok()) return entered.status();
  out.visitor = std::move(*entered);
  return out;
}

Result<store::Visitor> VisitorService::Me(const store::VisitorGrant& grant) {
  auto found = visitors_.FindVisitor(grant.tenant_id, grant.user_id);
  if (!found.ok()) return found.status();
  if (!*found) return Error(Code::kBadToken, "Visitor-Token is unknown or expired");
  return **found;
}

Result<store::VisitorGrant> VisitorService::Authenticate(std::optional<std::string_view> token) {
  if (!token || token->size() != 32) return Error(Code::kBadToken, "Visitor-Token is missing or invalid");
  auto grant = visitors_.FindVisitorToken(Sha256(*token), clock_.NowSeconds());
  if (!grant.ok()) return grant.status();
  if (!*grant) return Error(Code::kBadToken, "Visitor-Token is unknown or expired");
  return **grant;
}

}  // namespace kefu::domain
