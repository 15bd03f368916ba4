// A tenant's tags (LIVE §5, admin): session tags `{id, name, color,
// parentId}` and rating tags `{id, name}`.
#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"

namespace kefu::api {
namespace {

void WriteSummaryTag(JsonOut& out, const store::SummaryTag& t) {
  out.BeginObject().Key("id").Int(t.id).Key("name").Str(t.name).Key("color").Int(t.color);
  out.Key("parentId").Int(t.parent_id).EndObject();
}

void WriteEnquiryTag(JsonOut& out, const store::EnquiryTag& t) {
  out.BeginObject().Key("id").Int(t.id).Key("name").Str(t.name).EndObject();
}

template <typename T, typename Write>
ApiResponse ListAnswer(const Result<std::vector<T>>& tags, Write write) {
  if (!tags.ok()) return ErrorResponse(tags.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& t : tags.value()) write(out, t);
  out.EndArray().EndObject();
  return out.Ok();
}

template <typename T, typename Write>
ApiResponse EntityAnswer(const Result<T>& tag, Write write) {
  if (!tag.ok()) return ErrorResponse(tag.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity");
  write(out, tag.value());
  out.EndObject();
  return out.Ok();
}

Result<domain::SummaryTagInput> SummaryInputOf(const ApiRequest& request) {
  rapidjson::Document doc;
  KEFU_RETURN_IF_ERROR(ParseJsonObject(request.body, doc));
  return domain::SummaryTagInput{FieldOf(doc, "name"), FieldOf(doc, "color"), FieldOf(doc, "parentId")};
}

Result<domain::RawField> NameOf(const ApiRequest& request) {
  rapidjson::Document doc;
  KEFU_RETURN_IF_ERROR(ParseJsonObject(request.body, doc));
  return FieldOf(doc, "name");
}

}  // namespace

ApiResponse ListSummaryTags(Services& s, const Call& r) {
  return ListAnswer(s.tags.ListSummaries(r.grant.tenant_id), WriteSummaryTag);
}

ApiResponse CreateSummaryTag(Services& s, const Call& r) {
  auto in = SummaryInputOf(r.request);
  if (!in.ok()) return ErrorResponse(in.status());
  return EntityAnswer(s.tags.CreateSummary(r.grant.tenant_id, *in), WriteSummaryTag);
}

ApiResponse UpdateSummaryTag(Services& s, const Call& r) {
  auto in = SummaryInputOf(r.request);
  if (!in.ok()) return ErrorResponse(in.status());
  return EntityAnswer(s.tags.UpdateSummary(r.grant.tenant_id, r.Param("id"), *in), WriteSummaryTag);
}

ApiResponse DeleteSummaryTag(Services& s, const Call& r) {
  Status done = s.tags.DeleteSummary(r.grant.tenant_id, r.Param("id"));
  return done.ok() ? OkResponse() : ErrorResponse(done);
}

ApiResponse ListEnquiryTags(Services& s, const Call& r) {
  return ListAnswer(s.tags.ListEnquiryTags(r.grant.tenant_id), WriteEnquiryTag);
}

ApiResponse CreateEnquiryTag(Services& s, const Call& r) {
  auto name = NameOf(r.request);
  if (!name.ok()) return ErrorResponse(name.status());
  return EntityAnswer(s.tags.CreateEnquiryTag(r.grant.tenant_id, *name), WriteEnquiryTag);
}

ApiResponse RenameEnquiryTag(Services& s, const Call& r) {
  auto name = NameOf(r.request);
  if (!name.ok()) return ErrorResponse(name.status());
  return EntityAnswer(s.tags.RenameEnquiryTag(r.grant.tenant_id, r.Param("id"), *name), WriteEnquiryTag);
}

ApiResponse DeleteEnquiryTag(Services& s, const Call& r) {
  Status done = s.tags.DeleteEnquiryTag(r.grant.tenant_id, r.Param("id"));
  return done.ok() ? OkResponse() : ErrorResponse(done);
}

}  // namespace kefu::api
