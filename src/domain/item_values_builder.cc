#include "domain/item_values_builder.h"

namespace kefu::domain {

void ItemValuesBuilder::Text(ItemField field, std::string_view text) {
  Set(field, [&](Writer& w) {
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  });
}

void ItemValuesBuilder::TextOrNull(ItemField field, const std::optional<std::string>& text) {
  if (text) {
    Text(field, std::string_view(*text));
  } else {
    Null(field);
  }
}

void ItemValuesBuilder::Integer(ItemField field, int64_t value) {
  Set(field, [&](Writer& w) { w.Int64(value); });
}

void ItemValuesBuilder::IntegerOrNull(ItemField field, std::optional<int64_t> value) {
  if (value) {
    Integer(field, *value);
  } else {
    Null(field);
  }
}

void ItemValuesBuilder::Boolean(ItemField field, bool value) {
  values_[IndexOf(field)] = value ? "true" : "false";
}

void ItemValuesBuilder::Null(ItemField field) { values_[IndexOf(field)].clear(); }

std::string ItemValuesBuilder::Finish() const {
  std::string out = "[";
  for (size_t i = 0; i < values_.size(); ++i) {
    if (i) out += ',';
    out += values_[i].empty() ? "null" : values_[i];
  }
  return out + "]";
}

}  // namespace kefu::domain
