#include "api/route_table.h"

namespace kefu::api {
namespace {

// "/a/b/c" -> {"a", "b", "c"}; an empty segment ("/a//b") is kept, so it
// matches no parameter.
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.starts_with('/')) path.remove_prefix(1);
  size_t start = 0;
  for (;;) {
    size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool IsParam(std::string_view segment) { return segment.size() > 2 && segment.front() == '{' && segment.back() == '}'; }

bool IsRestParam(std::string_view segment) { return IsParam(segment) && segment.ends_with("...}"); }

// "{tenantId}" -> "tenantId"; "{path...}" -> "path".
std::string_view ParamName(std::string_view segment) {
  segment = segment.substr(1, segment.size() - 2);
  if (segment.ends_with("...")) segment.remove_suffix(3);
  return segment;
}

}  // namespace

PathMatcher::PathMatcher(std::vector<std::pair<std::string_view, std::string_view>> method_and_pattern,
                         std::vector<PathAlias> aliases)
    : aliases_(std::move(aliases)) {
  for (const auto& [method, pattern] : method_and_pattern) routes_.push_back({method, Split(pattern)});
}

bool PathMatcher::MatchSegments(const Compiled& route, const std::vector<std::string_view>& path,
                                std::vector<std::pair<std::string_view, std::string>>* params) const {
  const auto& pattern = route.segments;
  const bool rest = !pattern.empty() && IsRestParam(pattern.back());
  if (rest ? path.size() < pattern.size() : path.size() != pattern.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (!IsParam(pattern[i])) {
      if (pattern[i] != path[i]) return false;
    } else if (path[i].empty()) {
      return false;
    }
  }
  if (!params) return true;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (!IsParam(pattern[i])) continue;
    std::string value(path[i]);
    if (IsRestParam(pattern[i])) {
      for (size_t j = i + 1; j < path.size(); ++j) (value += '/') += path[j];
    }
    params->emplace_back(ParamName(pattern[i]), std::move(value));
  }
  return true;
}

PathMatcher::Found PathMatcher::Match(std::string_view method, std::string_view path) const {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  std::string aliased;
  for (const auto& alias : aliases_) {
    if (path.starts_with(alias.prefix)) {
      aliased = std::string(alias.same_as) + std::string(path.substr(alias.prefix.size()));
      path = aliased;
      break;
    }
  }
  const std::vector<std::string_view> segments = Split(path);
  Found found;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Compiled& route = routes_[i];
    if (!MatchSegments(route, segments, nullptr)) continue;
    if (!found.allow.empty()) found.allow += ", ";
    found.allow += route.method;
    if (found.route < 0 && route.method == method) {
      found.route = static_cast<int>(i);
      MatchSegments(route, segments, &found.params);
    }
  }
  return found;
}

std::string_view ParamOf(const std::vector<std::pair<std::string_view, std::string>>& params,
                         std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace kefu::api
