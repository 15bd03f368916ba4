// The one place a failed Status becomes an HTTP answer: the status code, the
// published API_xxx code and its message verbatim (CONTRACT §3).
#pragma once

#include "api/api_types.h"
#include "common/status.h"

namespace kefu::api {

struct ErrorInfo {
  int http_status;
  const char* error_code;
  const char* description;
};

ErrorInfo DescribeError(Code code);

// {"status":"FAIL","errorCode":…,"errorDescription":…[,"errorDetail":…]}, and
// Retry-After on a stopped query (API_408).
ApiResponse ErrorResponse(const Status& status);

}  // namespace kefu::api
