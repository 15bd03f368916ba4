#include "api/session_json.h"

#include <rapidjson/reader.h>

#include "domain/session_item.h"

namespace kefu::api {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// SAX handler: the top-level array becomes an object whose keys are the
// published item keys in order; everything inside passes through.
class ItemHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ItemHandler> {
 public:
  explicit ItemHandler(Writer& w) : w_(w) {}

  bool Null() { return Next() && w_.Null(); }
  bool Bool(bool b) { return Next() && w_.Bool(b); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return Next() && w_.RawValue(s, n, rapidjson::kNumberType);
  }
  bool String(const char* s, rapidjson::SizeType n, bool) { return Next() && w_.String(s, n); }
  bool Key(const char* s, rapidjson::SizeType n, bool) { return w_.Key(s, n); }
  bool StartObject() {
    if (!Next()) return false;
    ++depth_;
    return w_.StartObject();
  }
  bool EndObject(rapidjson::SizeType) {
    --depth_;
    return w_.EndObject();
  }
  bool StartArray() {
    if (depth_ == 0) {
      ++depth_;
      return w_.StartObject();
    }
    if (!Next()) return false;
    ++depth_;
    return w_.StartArray();
  }
  bool EndArray(rapidjson::SizeType) {
    --depth_;
    return depth_ == 0 ? index_ == domain::kSessionItemKeys.size() && w_.EndObject() : w_.EndArray();
  }

 private:
  // Before a value: at the top level it needs its key.
  bool Next() {
    if (depth_ != 1) return depth_ > 1;
    if (index_ >= domain::kSessionItemKeys.size()) return false;
    const auto key = domain::kSessionItemKeys[index_++];
    return w_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  }

  Writer& w_;
  int depth_ = 0;
  size_t index_ = 0;
};

}  // namespace

bool WriteSessionItem(JsonOut& out, std::string_view values) {
  ItemHandler handler(out.raw());
  rapidjson::Reader reader;
  rapidjson::MemoryStream ms(values.data(), values.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
  return !reader.Parse<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag>(in, handler)
              .IsError();
}

}  // namespace kefu::api
