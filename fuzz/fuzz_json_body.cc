// Request bodies without a store: api::ParseJson / ParseJsonObject (strict
// UTF-8, iterative) and FieldOf, then every reading the endpoints make of a
// body, through the same pure functions they call:
//   - the token request (api/token_handler.cc): clientId, secretId, tenantId
//     as RawFields, tenantId coerced and compared as TokenService::Issue does;
//   - agent Add / Update / Password / Delete / Disable / Enable
//     (api/agent_handlers.cc's fields, domain/agent_rules.h's checks);
// with the postconditions each check promises, and every failure rendered as
// an answer that must hold the response invariants. (The roles endpoint takes
// no body; the import body has fuzz_import_body.)
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/error_mapping.h"
#include "api/json_body.h"
#include "common/limits.h"
#include "common/text.h"
#include "domain/agent_rules.h"
#include "domain/agent_service.h"
#include "domain/token_service.h"
#include "support/checks.h"

namespace {

using namespace kefu;
using domain::RawField;

std::string_view g_input;

[[noreturn]] void Fail(std::string_view what) { fuzz::Fail(what, fuzz::Printable(g_input)); }

// A failure must be one of `allowed` and render as a valid answer.
template <typename R>
void ExpectFailureIn(const R& r, std::initializer_list<Code> allowed, std::string_view what) {
  if (r.ok()) return;
  bool known = false;
  for (Code c : allowed) known |= r.status().code() == c;
  if (!known) Fail(std::string(what) + " failed with an unexpected code");
  api::ApiRequest q;
  q.body = std::string(g_input);
  fuzz::CheckResponse(api::ErrorResponse(r.status()), q);
}

// api/agent_handlers.cc's FieldsOf.
domain::AgentFields FieldsOf(const rapidjson::Value& doc) {
  domain::AgentFields f;
  f.nicename = api::FieldOf(doc, "nicename");
  f.username = api::FieldOf(doc, "username");
  f.password = api::FieldOf(doc, "password");
  f.true_name = api::FieldOf(doc, "trueName");
  f.mobile_phone = api::FieldOf(doc, "mobilePhone");
  f.agent_number = api::FieldOf(doc, "agentNumber");
  f.role_id = api::FieldOf(doc, "roleId");
  f.max_service_session_count = api::FieldOf(doc, "maxServiceSessionCount");
  return f;
}

// FieldOf agrees with the value it reads.
void CheckFieldOf(const rapidjson::Value& obj) {
  for (const auto& m : obj.GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    if (name.find('\0') != std::string::npos) continue;  // FieldOf takes a C string
    // With duplicate keys FieldOf reads the first; check only that one.
    if (&obj.FindMember(name.c_str())->value != &m.value) continue;
    RawField f = api::FieldOf(obj, name.c_str());
    const rapidjson::Value& v = m.value;
    using K = RawField::Kind;
    K want = v.IsNull()     ? K::kNull
             : v.IsString() ? K::kText
             : v.IsInt64()  ? K::kInteger
             : v.IsBool()   ? K::kBoolean
                            : K::kOther;
    if (f.kind != want) Fail("FieldOf gives the wrong kind");
    if (want == K::kText) {
      if (f.text != std::string_view(v.GetString(), v.GetStringLength())) Fail("FieldOf text");
      // Bodies are validated UTF-8, so every string in them must be too.
      if (!fuzz::IsWellFormedUtf8(f.text)) Fail("a string of a validated body is not well-formed UTF-8");
      if (!Utf8Length(f.text)) Fail("Utf8Length rejects a string of a validated body");
      // Utf8Length and the reference validator agree on every string.
      if (Utf8Length(f.text).has_value() != fuzz::IsWellFormedUtf8(f.text)) Fail("Utf8Length disagrees");
    }
    if (want == K::kInteger && f.integer != v.GetInt64()) Fail("FieldOf integer");
    if (want == K::kBoolean && f.integer != (v.GetBool() ? 1 : 0)) Fail("FieldOf boolean");
  }
}

void CheckTokenRequest(const rapidjson::Value& doc) {
  domain::TokenRequest req{api::FieldOf(doc, "clientId"), api::FieldOf(doc, "secretId"),
                           api::FieldOf(doc, "tenantId")};
  if (req.tenant_id.given()) {
    auto given = domain::CoerceInteger(req.tenant_id);
    if (req.tenant_id.kind == RawField::Kind::kText) {
      if (given != ParseInteger(req.tenant_id.text, INT64_MIN, INT64_MAX)) Fail("CoerceInteger of text");
      auto tenant = domain::ParseTenantId(req.tenant_id.text);
      if (tenant && (!given || *given != *tenant)) Fail("ParseTenantId and CoerceInteger disagree");
      if (tenant && (*tenant < 1 || *tenant > limits::kMaxTenantId)) Fail("ParseTenantId out of range");
    }
  }
}

void CheckAgentFields(const domain::AgentFields& f) {
  using K = RawField::Kind;
  auto text_len = [](const std::string& s) { return Utf8Length(s).value_or(SIZE_MAX); };

  auto nicename = domain::CheckNicename(f.nicename);
  ExpectFailureIn(nicename, {Code::kEmptyNicename, Code::kInvalidParam}, "CheckNicename");
  if (nicename.ok() && (nicename->empty() || text_len(*nicename) > limits::kTextFieldMaxChars)) {
    Fail("CheckNicename accepted an empty or long name");
  }
  if (!f.nicename.given() && nicename.ok()) Fail("CheckNicename accepted a missing name");

  auto username = domain::CheckUsername(f.username);
  ExpectFailureIn(username, {Code::kInvalidParam}, "CheckUsername");
  if (username.ok()) {
    const std::string& u = *username;
    if (!domain::IsValidEmail(u)) Fail("CheckUsername accepted a non-address");
    size_t at = u.find('@');
    if (u.size() > limits::kUsernameMaxChars || at == 0 || at == std::string::npos ||
        u.find('@', at + 1) != std::string::npos || u.find('.', at) == std::string::npos) {
      Fail("IsValidEmail accepted a malformed address");
    }
    for (unsigned char c : u) {
      if (c <= ' ' || c >= 0x7f) Fail("IsValidEmail accepted a control, space or non-ASCII byte");
    }
  }

  auto password = domain::CheckPassword(f.password);
  ExpectFailureIn(password, {Code::kBadPassword}, "CheckPassword");
  if (password.ok()) {
    size_t n = text_len(*password);
    if (n < static_cast<size_t>(limits::kPasswordMinChars) ||
        n > static_cast<size_t>(limits::kPasswordMaxChars)) {
      Fail("CheckPassword accepted a password of the wrong length");
    }
  }

  auto role = domain::CheckRoleId(f.role_id);
  ExpectFailureIn(role, {Code::kRoleMissing, Code::kBadRole}, "CheckRoleId");
  if (role.ok() && *role < 1) Fail("CheckRoleId accepted an id below 1");
  if (!f.role_id.given() && (role.ok() || role.status().code() != Code::kRoleMissing)) {
    Fail("a missing roleId is not API_106");
  }

  for (int fallback : {limits::kMaxServiceSessionDefault, 0}) {
    auto max = domain::CheckMaxServiceSessions(f.max_service_session_count, fallback);
    ExpectFailureIn(max, {Code::kInvalidParam}, "CheckMaxServiceSessions");
    if (max.ok() && (*max < 0 || *max > limits::kMaxServiceSessionMax)) Fail("maxServiceSessionCount out of range");
    if (!f.max_service_session_count.given() && (!max.ok() || *max != fallback)) {
      Fail("a missing maxServiceSessionCount is not the fallback");
    }
  }

  for (const RawField* field : {&f.true_name, &f.mobile_phone, &f.agent_number}) {
    auto v = domain::CheckOptionalText(*field, "field", "");
    ExpectFailureIn(v, {Code::kInvalidParam}, "CheckOptionalText");
    if (v.ok() && text_len(*v) > limits::kTextFieldMaxChars) Fail("CheckOptionalText accepted a long text");
    if (v.ok() && field->kind == K::kInteger && *v != std::to_string(field->integer)) {
      Fail("an integer text field is not stored in decimal");
    }
  }

  // Coercions agree with each other: an integer's decimal text reads back.
  for (const RawField* field : {&f.nicename, &f.username, &f.password, &f.true_name, &f.mobile_phone,
                                &f.agent_number, &f.role_id, &f.max_service_session_count}) {
    auto text = domain::CoerceText(*field);
    auto number = domain::CoerceInteger(*field);
    if (field->kind == K::kInteger && (!text || !number || domain::CoerceInteger(RawField::Text(*text)) != number)) {
      Fail("CoerceText and CoerceInteger disagree on an integer");
    }
    if ((field->kind == K::kNull || field->kind == K::kAbsent || field->kind == K::kOther) && (text || number)) {
      Fail("a non-scalar coerced to a value");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  g_input = std::string_view(reinterpret_cast<const char*>(data), size);
  if (Utf8Length(g_input).has_value() != fuzz::IsWellFormedUtf8(g_input)) {
    Fail("Utf8Length and the RFC 3629 table disagree");
  }

  rapidjson::Document any;
  Status parsed_any = api::ParseJson(g_input, any);
  rapidjson::Document doc;
  Status parsed = api::ParseJsonObject(g_input, doc);
  if (parsed.ok() != (parsed_any.ok() && any.IsObject())) Fail("ParseJsonObject and ParseJson disagree");
  // JSON text never holds a raw NUL (not between tokens, not in strings), so
  // a body that parses has none; RapidJSON stops reading at one, and would
  // ignore whatever follows it.
  if (parsed_any.ok() && g_input.find('\0') != std::string_view::npos) {
    Fail("ParseJson accepted a body with a NUL byte (what follows it was never read)");
  }
  // Well-formed UTF-8, with at most a whole byte-order mark in front (RFC
  // 8259 lets a parser ignore one). RapidJSON alone would skip each of EF,
  // BB, BF separately.
  std::string_view text = g_input.starts_with("\xEF\xBB\xBF") ? g_input.substr(3) : g_input;
  if (parsed_any.ok() && text.find('\0') == std::string_view::npos && !fuzz::IsWellFormedUtf8(text)) {
    Fail("a body that is not UTF-8 parsed");
  }
  if (!parsed.ok()) {
    if (parsed.code() != Code::kInvalidParam) Fail("a bad body is not API_001");
    api::ApiRequest q;
    q.body = std::string(g_input);
    fuzz::CheckResponse(api::ErrorResponse(parsed), q);
    return 0;
  }

  CheckFieldOf(doc);
  CheckTokenRequest(doc);
  CheckAgentFields(FieldsOf(doc));
  return 0;
}
