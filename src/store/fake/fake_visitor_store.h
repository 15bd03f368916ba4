// The VisitorStore of unit tests: visitors and token digests in maps,
// keeping visitor_store.h's contract (an identified visitor found again by
// tenant, channel and username; tokens valid until their expiry). It knows
// no channels, so a deleted channel does not end its visitors' tokens here.
// Thread-safe: one mutex.
#pragma once

#include <map>
#include <mutex>

#include "store/fake/fake_tenant_store.h"
#include "store/fake/injected_failure.h"
#include "store/visitor_store.h"

namespace kefu::store::fake {

class FakeVisitorStore final : public VisitorStore {
 public:
  // Grants carry the tenant's zone from `tenants`, which must outlive this store.
  explicit FakeVisitorStore(FakeTenantStore& tenants) : tenants_(tenants) {}

  Result<Visitor> EnterVisitor(const Visitor& fresh, bool set_nicename, std::string_view token_hash,
                               int64_t expires_at, int64_t now) override;
  Result<std::optional<Visitor>> RenewVisitorToken(std::string_view token_hash, TenantId tenant, int64_t channel_id,
                                                   int64_t expires_at, int64_t now) override;
  Result<std::optional<VisitorGrant>> FindVisitorToken(std::string_view token_hash, int64_t now) override;
  Result<std::optional<Visitor>> FindVisitor(TenantId tenant, std::string_view user_id) override;
  Result<std::vector<Visitor>> FindVisitorsByUsername(TenantId tenant, std::string_view username) override;

  // Sets a visitor's thread's last seq, as a real backend's message does in
  // its transaction (for FakeConversationStore).
  void SetLastSeq(std::string_view user_id, int64_t seq);

  // Every call above fails with `status` until FailWith(Status::Ok()).
  void FailWith(Status status) { failure_.Set(std::move(status)); }

 private:
  struct Token {
    std::string user_id;
    int64_t expires_at;
  };

  FakeTenantStore& tenants_;
  InjectedFailure failure_;
  mutable std::mutex mu_;
  std::map<std::string, Visitor, std::less<>> visitors_;  // by user_id
  std::map<std::string, Token, std::less<>> tokens_;      // by digest
};

}  // namespace kefu::store::fake
