#include "store/fake/fake_tag_store.h"

namespace kefu::store::fake {
namespace {

Status NoSuchTag() { return Error(Code::kNoSuchResource, "no such tag"); }

template <typename Map>
int64_t NextId(const Map& tags) {
  return tags.empty() ? 1 : tags.rbegin()->first + 1;
}

}  // namespace

Result<std::vector<SummaryTag>> FakeTagStore::ListSummaryTags(TenantId tenant) {
  std::lock_guard lock(mu_);
  std::vector<SummaryTag> out;
  for (const auto& [id, t] : summary_[tenant]) out.push_back(t);
  return out;
}

Result<std::vector<EnquiryTag>> FakeTagStore::ListEnquiryTags(TenantId tenant) {
  std::lock_guard lock(mu_);
  std::vector<EnquiryTag> out;
  for (const auto& [id, t] : enquiry_[tenant]) out.push_back(t);
  return out;
}

Result<SummaryTag> FakeTagStore::CreateSummaryTag(TenantId tenant, const SummaryTag& tag) {
  std::lock_guard lock(mu_);
  auto& tags = summary_[tenant];
  if (tag.parent_id != 0 && !tags.count(tag.parent_id)) return NoSuchTag();
  SummaryTag made = tag;
  made.id = NextId(tags);
  tags[made.id] = made;
  return made;
}

Status FakeTagStore::UpdateSummaryTag(TenantId tenant, const SummaryTag& tag) {
  std::lock_guard lock(mu_);
  auto& tags = summary_[tenant];
  if (tag.parent_id != 0 && !tags.count(tag.parent_id)) return NoSuchTag();
  auto it = tags.find(tag.id);
  if (it == tags.end()) return NoSuchTag();
  it->second = tag;
  return Status::Ok();
}

Status FakeTagStore::DeleteSummaryTag(TenantId tenant, int64_t id) {
  std::lock_guard lock(mu_);
  auto& tags = summary_[tenant];
  for (const auto& [other, t] : tags) {
    if (t.parent_id == id) return Error(Code::kInvalidParam, "the tag has children: delete them first");
  }
  return tags.erase(id) == 0 ? NoSuchTag() : Status::Ok();
}

Result<EnquiryTag> FakeTagStore::CreateEnquiryTag(TenantId tenant, std::string_view name) {
  std::lock_guard lock(mu_);
  auto& tags = enquiry_[tenant];
  EnquiryTag made{NextId(tags), std::string(name)};
  tags[made.id] = made;
  return made;
}

Status FakeTagStore::RenameEnquiryTag(TenantId tenant, int64_t id, std::string_view name) {
  std::lock_guard lock(mu_);
  auto& tags = enquiry_[tenant];
  auto it = tags.find(id);
  if (it == tags.end()) return NoSuchTag();
  it->second.name = std::string(name);
  return Status::Ok();
}

Status FakeTagStore::DeleteEnquiryTag(TenantId tenant, int64_t id) {
  std::lock_guard lock(mu_);
  return enquiry_[tenant].erase(id) == 0 ? NoSuchTag() : Status::Ok();
}

void FakeTagStore::Put(TenantId tenant, std::vector<SummaryTag> summary, std::vector<EnquiryTag> enquiry) {
  std::lock_guard lock(mu_);
  summary_[tenant].clear();
  enquiry_[tenant].clear();
  for (auto& t : summary) summary_[tenant][t.id] = std::move(t);
  for (auto& t : enquiry) enquiry_[tenant][t.id] = std::move(t);
}

}  // namespace kefu::store::fake
