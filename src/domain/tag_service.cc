#include "domain/tag_service.h"

#include <limits>
#include <map>

#include "common/text.h"

namespace kefu::domain {
namespace {

Status NoSuchTag() { return Error(Code::kNoSuchResource, "no such tag"); }

Result<int64_t> IdOf(std::string_view path_id) {
  auto id = ParseInteger(path_id, 1, std::numeric_limits<int64_t>::max());
  if (!id) return NoSuchTag();
  return *id;
}

Result<std::string> NameOf(const RawField& name) {
  auto length = name.kind == RawField::Kind::kText ? Utf8Length(name.text) : std::nullopt;
  if (!length || *length > kMaxTagNameLength || name.text.find_first_not_of(' ') == std::string::npos) {
    return Error(Code::kInvalidParam, "name must be 1 to 100 characters, not only spaces");
  }
  return name.text;
}

Result<int64_t> WholeNumber(const RawField& f, const char* name) {
  if (!f.given()) return int64_t{0};
  if (f.kind != RawField::Kind::kInteger || f.integer < 0 || f.integer > std::numeric_limits<int32_t>::max()) {
    return Error(Code::kInvalidParam, std::string(name) + " must be an integer from 0 to 2147483647");
  }
  return f.integer;
}

Result<store::SummaryTag> TagOf(const SummaryTagInput& in) {
  auto name = NameOf(in.name);
  if (!name.ok()) return name.status();
  auto color = WholeNumber(in.color, "color");
  if (!color.ok()) return color.status();
  auto parent = WholeNumber(in.parent_id, "parentId");
  if (!parent.ok()) return parent.status();
  return store::SummaryTag{0, *parent, *name, *color};
}

}  // namespace

Result<std::vector<store::SummaryTag>> TagService::ListSummaries(store::TenantId tenant) {
  return store_.ListSummaryTags(tenant);
}

Result<store::SummaryTag> TagService::CreateSummary(store::TenantId tenant, const SummaryTagInput& in) {
  auto tag = TagOf(in);
  if (!tag.ok()) return tag.status();
  return store_.CreateSummaryTag(tenant, *tag);
}

Result<store::SummaryTag> TagService::UpdateSummary(store::TenantId tenant, std::string_view path_id,
                                                    const SummaryTagInput& in) {
  auto id = IdOf(path_id);
  if (!id.ok()) return id.status();
  auto tag = TagOf(in);
  if (!tag.ok()) return tag.status();
  tag->id = *id;
  auto tree = store_.ListSummaryTags(tenant);
  if (!tree.ok()) return tree.status();
  std::map<int64_t, int64_t> parent_of;
  for (const auto& t : *tree) parent_of[t.id] = t.parent_id;
  if (!parent_of.count(*id)) return NoSuchTag();
  // Walk up from the new parent: meeting the tag itself would make a loop.
  for (int64_t at = tag->parent_id, steps = 0; at != 0 && steps <= static_cast<int64_t>(tree->size()); ++steps) {
    if (at == *id) return Error(Code::kInvalidParam, "parentId may not be the tag itself or a tag below it");
    auto up = parent_of.find(at);
    if (up == parent_of.end()) break;
    at = up->second;
  }
  KEFU_RETURN_IF_ERROR(store_.UpdateSummaryTag(tenant, *tag));
  return *tag;
}

Status TagService::DeleteSummary(store::TenantId tenant, std::string_view path_id) {
  auto id = IdOf(path_id);
  if (!id.ok()) return id.status();
  return store_.DeleteSummaryTag(tenant, *id);
}

Result<std::vector<store::EnquiryTag>> TagService::ListEnquiryTags(store::TenantId tenant) {
  return store_.ListEnquiryTags(tenant);
}

Result<store::EnquiryTag> TagService::CreateEnquiryTag(store::TenantId tenant, const RawField& name) {
  auto valid = NameOf(name);
  if (!valid.ok()) return valid.status();
  return store_.CreateEnquiryTag(tenant, *valid);
}

Result<store::EnquiryTag> TagService::RenameEnquiryTag(store::TenantId tenant, std::string_view path_id,
                                                       const RawField& name) {
  auto id = IdOf(path_id);
  if (!id.ok()) return id.status();
  auto valid = NameOf(name);
  if (!valid.ok()) return valid.status();
  KEFU_RETURN_IF_ERROR(store_.RenameEnquiryTag(tenant, *id, *valid));
  return store::EnquiryTag{*id, *valid};
}

Status TagService::DeleteEnquiryTag(store::TenantId tenant, std::string_view path_id) {
  auto id = IdOf(path_id);
  if (!id.ok()) return id.status();
  return store_.DeleteEnquiryTag(tenant, *id);
}

}  // namespace kefu::domain
