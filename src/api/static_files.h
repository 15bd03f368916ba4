// Static files (the web UI's): the path rules, content types, validators and
// cache rules of docs/decisions.md "Static files", over a web::FileSource.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/api_types.h"
#include "web/file_source.h"

namespace kefu::api {

// The source path named by the raw (still percent-encoded) rest of a
// /static/ path, or nullopt when no file may answer it: a segment that is
// empty, ".", "..", or starts with '.' (also when written %2e), a '/' or
// '\' written encoded, a backslash, or a NUL.
std::optional<std::string> CleanStaticPath(std::string_view raw);

// The Content-Type for a file name, by its extension (case ignored);
// application/octet-stream when unknown.
std::string_view ContentTypeFor(std::string_view name);

// True when the file name carries a content hash ("index-3fa9c1d2.js",
// "app.8e1f04b7c2.css"): its last '-' or '.' part before the extension is
// 8 or more letters, digits or '_' with at least one digit and one letter.
// Such files never change under their name, so they are cached for a year.
bool IsHashedName(std::string_view name);

// True when Accept-Encoding lists gzip (or *) without q=0.
bool AcceptsGzip(std::string_view accept_encoding);

// True when If-None-Match holds `etag` or "*" (weak comparison, RFC 9110).
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

// The answer to GET or HEAD of the file `raw_path` (as for CleanStaticPath):
// 200 with the file, or FILE.gz with Content-Encoding: gzip when the client
// accepts it; 304 when If-None-Match holds its ETag; API_404 otherwise.
ApiResponse StaticFileAnswer(const web::FileSource& files, const ApiRequest& request,
                             std::string_view raw_path);

}  // namespace kefu::api
