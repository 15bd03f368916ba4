#include "api/static_files.h"

#include <array>
#include <cctype>
#include <utility>

#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/query_string.h"
#include "common/crypto.h"

namespace kefu::api {
namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls fn on each comma-separated, trimmed, non-empty element of a header.
template <typename F>
void ForEachElement(std::string_view header, F fn) {
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = Trim(header.substr(0, comma));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// A strong validator: the same bytes, and only they, give the same tag.
std::string ETagOf(std::string_view bytes) { return "\"" + ToHex(Sha256(bytes).substr(0, 16)) + "\""; }

ApiResponse NoSuchFile() { return ErrorResponse(Error(Code::kNoSuchEndpoint, "no such file")); }

}  // namespace

std::optional<std::string> CleanStaticPath(std::string_view raw) {
  std::string out;
  for (;;) {
    size_t slash = raw.find('/');
    std::string_view segment = raw.substr(0, slash);
    std::string decoded = PercentDecode(segment, false);
    if (decoded.empty() || decoded.front() == '.') return std::nullopt;  // also "." and ".."
    if (decoded.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) return std::nullopt;
    if (!out.empty()) out += '/';
    out += decoded;
    if (slash == std::string_view::npos) break;
    raw.remove_prefix(slash + 1);
  }
  return out;
}

std::string_view ContentTypeFor(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kTypes = {{
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"webmanifest", "application/manifest+json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"avif", "image/avif"},
      {"ico", "image/x-icon"},
      {"woff2", "font/woff2"},
      {"woff", "font/woff"},
      {"ttf", "font/ttf"},
      {"txt", "text/plain; charset=utf-8"},
      {"xml", "application/xml"},
      {"wasm", "application/wasm"},
      {"pdf", "application/pdf"},
      {"gz", "application/gzip"},
  }};
  name = BaseName(name);
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    std::string_view ext = name.substr(dot + 1);
    for (const auto& [e, type] : kTypes) {
      if (EqualsNoCase(e, ext)) return type;
    }
  }
  return "application/octet-stream";
}

bool IsHashedName(std::string_view name) {
  name = BaseName(name);
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view stem = name.substr(0, dot);
  size_t sep = stem.find_last_of("-.");
  if (sep == std::string_view::npos) return false;
  std::string_view part = stem.substr(sep + 1);
  bool digit = false, letter = false;
  for (char c : part) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      letter = true;
    } else if (c != '_') {
      return false;
    }
  }
  return part.size() >= 8 && digit && letter;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  bool yes = false;
  ForEachElement(accept_encoding, [&](std::string_view item) {
    std::string_view coding = Trim(item.substr(0, item.find(';')));
    if (!EqualsNoCase(coding, "gzip") && coding != "*") return;
    // "gzip;q=0" (or 0.0, 0.000) refuses it.
    size_t q = item.find("q=");
    if (q == std::string_view::npos) q = item.find("Q=");
    const bool refused = q != std::string_view::npos &&
                         Trim(item.substr(q + 2)).find_first_not_of("0.") == std::string_view::npos;
    yes = yes || !refused;
  });
  return yes;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  auto opaque = [](std::string_view tag) { return tag.starts_with("W/") ? tag.substr(2) : tag; };
  bool match = false;
  ForEachElement(if_none_match, [&](std::string_view tag) {
    match = match || tag == "*" || opaque(tag) == opaque(etag);
  });
  return match;
}

ApiResponse StaticFileAnswer(const web::FileSource& files, const ApiRequest& request,
                             std::string_view raw_path) {
  std::optional<std::string> path = CleanStaticPath(raw_path);
  if (!path) return NoSuchFile();
  std::optional<std::string> bytes = files.Read(*path);
  if (!bytes) return NoSuchFile();
  // A precompressed sibling is sent as is to clients that take gzip.
  std::optional<std::string> gzipped = files.Read(*path + ".gz");
  const bool send_gzip = gzipped && AcceptsGzip(request.Header("Accept-Encoding").value_or(""));
  if (send_gzip) bytes = std::move(gzipped);

  ApiResponse r;
  r.content_type = std::string(ContentTypeFor(*path));
  const std::string etag = ETagOf(*bytes);
  r.headers = {{"ETag", etag},
               {"Cache-Control", IsHashedName(*path) ? "public, max-age=31536000, immutable" : "no-cache"},
               {"X-Content-Type-Options", "nosniff"}};
  if (gzipped) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (send_gzip) r.headers.emplace_back("Content-Encoding", "gzip");
  if (EtagMatches(request.Header("If-None-Match").value_or(""), etag)) {
    r.status = 304;
    return r;
  }
  r.body = std::move(*bytes);
  return r;
}

ApiResponse ServeStaticFile(Services& s, const Call& r) {
  if (!s.files) return NoSuchFile();
  return StaticFileAnswer(*s.files, r.request, r.Param("path"));
}

}  // namespace kefu::api
