#include "domain/session_tags.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <map>

namespace kefu::domain {
namespace {

void Dedupe(std::vector<int64_t>& ids) {
  std::vector<int64_t> out;
  for (int64_t id : ids) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  ids = std::move(out);
}

Status NoSuchTag() { return Error(Code::kNoSuchResource, "no such tag"); }

}  // namespace

Result<SummarySelection> SelectSummaries(const std::vector<store::SummaryTag>& tree, const std::vector<int64_t>& ids) {
  std::map<int64_t, const store::SummaryTag*> by_id;
  for (const auto& t : tree) by_id[t.id] = &t;
  SummarySelection out{ids, std::nullopt, std::nullopt};
  Dedupe(out.ids);
  for (int64_t id : out.ids) {
    if (!by_id.count(id)) return NoSuchTag();
    for (const auto& t : tree) {
      if (t.parent_id == id) return Error(Code::kInvalidParam, "summaryIds must be leaves of the tag tree");
    }
  }
  if (out.ids.empty()) return out;
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  std::string detail;
  w.StartArray();
  for (int64_t id : out.ids) {
    std::vector<const store::SummaryTag*> path;
    for (auto it = by_id.find(id); it != by_id.end() && path.size() <= tree.size(); it = by_id.find(it->second->parent_id)) {
      path.insert(path.begin(), it->second);
      if (it->second->parent_id == 0) break;
    }
    w.StartArray();
    for (const auto* t : path) {
      w.StartObject();
      w.Key("id");
      w.Int64(t->id);
      w.Key("name");
      w.String(t->name.data(), static_cast<rapidjson::SizeType>(t->name.size()));
      w.Key("color");
      w.Int64(t->color);
      w.Key("parentId");
      w.Int64(t->parent_id);
      w.EndObject();
    }
    w.EndArray();
    detail += (detail.empty() ? "" : ",") + by_id[id]->name;
  }
  w.EndArray();
  out.summarys = std::string(buf.GetString(), buf.GetSize());
  out.detail = detail;
  return out;
}

Result<std::optional<std::string>> EnquiryTagNames(const std::vector<store::EnquiryTag>& tags,
                                                   std::vector<int64_t>& ids) {
  Dedupe(ids);
  std::string names;
  for (int64_t id : ids) {
    auto it = std::find_if(tags.begin(), tags.end(), [&](const store::EnquiryTag& t) { return t.id == id; });
    if (it == tags.end()) return NoSuchTag();
    names += (names.empty() ? "" : ",") + it->name;
  }
  if (ids.empty()) return std::optional<std::string>();
  return std::optional<std::string>(names);
}

}  // namespace kefu::domain
