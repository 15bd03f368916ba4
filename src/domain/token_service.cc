#include "domain/token_service.h"

#include "common/crypto.h"
#include "common/limits.h"
#include "common/text.h"
#include "domain/agent_rules.h"

namespace kefu::domain {

std::optional<store::TenantId> ParseTenantId(std::string_view text) {
  return ParseInteger(text, 1, limits::kMaxTenantId);
}

Result<IssuedToken> TokenService::Issue(std::string_view path_tenant,
                                        const Result<TokenRequest>& body) {
  auto tenant_id = ParseTenantId(path_tenant);
  if (!tenant_id) return Error(Code::kWrongTenant, "no such tenant");
  auto tenant = store_.FindTenant(*tenant_id);
  if (!tenant.ok()) return tenant.status();
  if (!*tenant) return Error(Code::kWrongTenant, "no such tenant");

  if (!body.ok()) return body.status();
  const TokenRequest& req = body.value();
  if (req.client_id.kind != RawField::Kind::kText) {
    return Error(Code::kInvalidParam, "clientId is required");
  }
  if (req.secret_id.kind != RawField::Kind::kText) {
    return Error(Code::kInvalidParam, "secretId is required");
  }
  if (req.tenant_id.given()) {
    auto given = CoerceInteger(req.tenant_id);
    if (!given || *given != *tenant_id) {
      return Error(Code::kInvalidParam, "tenantId does not match the path");
    }
  }

  auto credential = store_.FindCredential(req.client_id.text);
  if (!credential.ok()) return credential.status();
  // Compare the digest even when the clientId is unknown, so timing does not
  // tell a caller which clientIds exist.
  static const std::string kNoSecret(32, '\0');
  const std::string digest = Sha256(req.secret_id.text);
  const bool known = credential->has_value();
  const bool match = ConstantTimeEqual(digest, known ? (*credential)->secret_hash : kNoSecret);
  if (!known || !match || (*credential)->revoked || (*credential)->tenant_id != *tenant_id) {
    return Error(Code::kBadCredential, "clientId or secretId is incorrect");
  }

  IssuedToken issued{NewToken(), ttl_};
  const int64_t now = clock_.NowSeconds();
  KEFU_RETURN_IF_ERROR(
      store_.InsertToken(Sha256(issued.token), req.client_id.text, *tenant_id, now + ttl_, now));
  return issued;
}

Result<store::TokenGrant> TokenService::Authenticate(std::optional<std::string_view> token,
                                                     std::string_view path_tenant) {
  if (!token || token->size() != 32) return Error(Code::kBadToken, "Kefu-Token is missing or invalid");
  auto grant = store_.FindToken(Sha256(*token), clock_.NowSeconds());
  if (!grant.ok()) return grant.status();
  if (!*grant) return Error(Code::kBadToken, "Kefu-Token is unknown or expired");
  auto tenant_id = ParseTenantId(path_tenant);
  if (!tenant_id || *tenant_id != (*grant)->tenant_id) {
    return Error(Code::kWrongTenant, "the token belongs to another tenant");
  }
  return **grant;
}

}  // namespace kefu::domain
