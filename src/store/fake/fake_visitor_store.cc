#include "store/fake/fake_visitor_store.h"

#include <algorithm>
#include <tuple>

namespace kefu::store::fake {

Result<Visitor> FakeVisitorStore::EnterVisitor(const Visitor& fresh, bool set_nicename, std::string_view token_hash,
                                               int64_t expires_at, int64_t now) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto known = std::find_if(visitors_.begin(), visitors_.end(), [&](const auto& entry) {
    const Visitor& v = entry.second;
    return fresh.identified && v.identified && v.tenant_id == fresh.tenant_id && v.channel_id == fresh.channel_id &&
           v.username == fresh.username;
  });
  Visitor* v = nullptr;
  if (known != visitors_.end()) {
    v = &known->second;
    if (set_nicename) v->nicename = fresh.nicename;
  } else {
    const bool taken = visitors_.count(fresh.user_id) > 0 ||
                       std::any_of(visitors_.begin(), visitors_.end(), [&](const auto& entry) {
                         return entry.second.chat_group_id == fresh.chat_group_id;
                       });
    if (taken) return Error(Code::kInvalidParam, "unique");
    v = &visitors_.emplace(fresh.user_id, fresh).first->second;
  }
  std::erase_if(tokens_, [&](const auto& t) { return t.second.user_id == v->user_id && t.second.expires_at <= now; });
  tokens_[std::string(token_hash)] = Token{v->user_id, expires_at};
  return *v;
}

Result<std::optional<Visitor>> FakeVisitorStore::RenewVisitorToken(std::string_view token_hash, TenantId tenant,
                                                                   int64_t channel_id, int64_t expires_at,
                                                                   int64_t now) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto t = tokens_.find(token_hash);
  if (t == tokens_.end() || t->second.expires_at <= now) return std::optional<Visitor>();
  const Visitor& v = visitors_.at(t->second.user_id);
  if (v.tenant_id != tenant || v.channel_id != channel_id) return std::optional<Visitor>();
  t->second.expires_at = expires_at;
  return std::optional<Visitor>(v);
}

Result<std::optional<VisitorGrant>> FakeVisitorStore::FindVisitorToken(std::string_view token_hash, int64_t now) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto t = tokens_.find(token_hash);
  if (t == tokens_.end() || t->second.expires_at <= now) return std::optional<VisitorGrant>();
  const Visitor& v = visitors_.at(t->second.user_id);
  auto tenant = tenants_.FindTenant(v.tenant_id);
  if (!tenant.ok()) return tenant.status();
  const TimeZone zone = *tenant ? (*tenant)->zone : TimeZone{};
  return std::optional<VisitorGrant>(
      VisitorGrant{v.tenant_id, zone, v.user_id, v.channel_id, v.chat_group_id, t->second.expires_at});
}

void FakeVisitorStore::SetLastSeq(std::string_view user_id, int64_t seq) {
  std::lock_guard lock(mu_);
  auto it = visitors_.find(user_id);
  if (it != visitors_.end()) it->second.last_seq = seq;
}

Result<std::optional<Visitor>> FakeVisitorStore::FindVisitor(TenantId tenant, std::string_view user_id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto it = visitors_.find(user_id);
  if (it == visitors_.end() || it->second.tenant_id != tenant) return std::optional<Visitor>();
  return std::optional<Visitor>(it->second);
}

Result<std::vector<Visitor>> FakeVisitorStore::FindVisitorsByUsername(TenantId tenant, std::string_view username) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  std::vector<Visitor> out;
  for (const auto& [id, v] : visitors_) {
    if (v.tenant_id == tenant && v.username == username) out.push_back(v);
  }
  std::sort(out.begin(), out.end(), [](const Visitor& a, const Visitor& b) {
    return std::tie(a.created_at, a.user_id) < std::tie(b.created_at, b.user_id);
  });
  return out;
}

}  // namespace kefu::store::fake
