#include "api/error_mapping.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/limits.h"
#include "common/text.h"

namespace kefu::api {
namespace {

constexpr const char* kQueryTimeoutDetail =
    "the query was stopped at the server's time limit; narrow it (a shorter date range, more "
    "selective filters) rather than sending it again as it is";

}  // namespace

ErrorInfo DescribeError(Code code) {
  switch (code) {
    case Code::kInvalidParam:
      return {400, "API_001", "param is invalid,please check your param is correct!"};
    case Code::kBadToken:
      return {401, "API_002", "token is invalid"};
    case Code::kWrongTenant:
      return {403, "API_003", "tenantId is incorrect,please confirm that the tenant ID belongs to you"};
    case Code::kBadCredential:
      return {401, "API_004", "clientId or secretId is incorrect"};
    case Code::kTooManyVisitors:
      return {400, "API_020", "Request body contains more than 10 visitor usernames."};
    case Code::kCreateAgentFailed:
      return {500, "API_101", "create agent user is failed"};
    case Code::kEmptyNicename:
      return {400, "API_102", "agent nicename must not empty!"};
    case Code::kUsernameTaken:
      return {409, "API_103", "agent user already exist"};
    case Code::kNoSuchAgent:
      return {404, "API_104", "agent user not exist,please check username is correct"};
    case Code::kForeignAgent:
      return {403, "API_105",
              "agent user not belong your tenant,please check username and tenantId is correct"};
    case Code::kRoleMissing:
      return {400, "API_106", "roleId must not empty"};
    case Code::kBadRole:
      return {400, "API_107", "api add role is failed,please check roleId is valid"};
    case Code::kBadPassword:
      return {400, "API_108", "password must be not empty and length greater 7."};
    case Code::kLastAdmin:
      return {409, "API_109", "Can not remove only amdin"};
    case Code::kAgentBusy:
      return {409, "API_110", "Can not remove agent,The agent has processing servicesession."};
    case Code::kPageIndex:
      return {400, "API_111", "page index must be more than 0."};
    case Code::kPageSize:
      return {400, "API_112", "page size must be less than 50."};
    case Code::kNoSuchSession:
      return {404, "API_201", "service session not found"};
    case Code::kSessionState:
      return {409, "API_202", "service session state does not allow this"};
    case Code::kNotYourSession:
      return {403, "API_203", "not your service session"};
    case Code::kBadLogin:
      return {401, "API_204", "username or password is incorrect"};
    case Code::kNoSuchResource:
      return {404, "API_205", "skill group, channel, tag or visitor not found"};
    case Code::kAlreadyRated:
      return {409, "API_206", "service session already rated"};
    case Code::kStoreUnavailable:
      return {503, "API_400", "api request failed"};
    case Code::kNoSuchEndpoint:
      return {404, "API_404", "no such endpoint"};
    case Code::kMethodNotAllowed:
      return {405, "API_405", "method not allowed"};
    case Code::kUpgradeRequired:
      return {426, "API_426", "upgrade required"};
    case Code::kBodyTooLarge:
      return {413, "API_413", "request body too large"};
    case Code::kHeadersTooLarge:
      return {431, "API_431", "request header fields too large"};
    case Code::kTooManyRequests:
      return {429, "API_429", "too many requests"};
    case Code::kQueryTimeout:
      // 503, not 504 (no gateway timed out) nor 408 (the client was not
      // slow); a code of its own, as the database is fine (docs/decisions.md).
      return {503, "API_408", "query took too long"};
    case Code::kOk:
    case Code::kInternal:
      break;
  }
  return {500, "API_500", "internal server error"};
}

ApiResponse ErrorResponse(const Status& status) {
  ErrorInfo info = DescribeError(status.code());
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("status");
  w.String("FAIL");
  w.Key("errorCode");
  w.String(info.error_code);
  w.Key("errorDescription");
  w.String(info.description);
  // Store failures keep their details in the log, not on the wire; a
  // stopped query says what to do instead.
  const bool from_store = status.code() == Code::kStoreUnavailable ||
                          status.code() == Code::kInternal || status.code() == Code::kQueryTimeout;
  if (status.code() == Code::kQueryTimeout) {
    w.Key("errorDetail");
    w.String(kQueryTimeoutDetail);
  } else if (!status.detail().empty() && !from_store) {
    // Details may quote request bytes; the answer stays valid UTF-8.
    const std::string detail = ValidUtf8(status.detail());
    w.Key("errorDetail");
    w.String(detail.c_str(), static_cast<rapidjson::SizeType>(detail.size()));
  }
  w.EndObject();
  ApiResponse r{info.http_status, std::string(buf.GetString(), buf.GetSize()), kJsonContentType, {}};
  if (status.code() == Code::kQueryTimeout) {
    r.headers.emplace_back("Retry-After", std::to_string(limits::kQueryTimeoutRetryAfter.count()));
  }
  return r;
}

}  // namespace kefu::api
