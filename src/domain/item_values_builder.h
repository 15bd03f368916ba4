// Builds a stored item (SessionRow::values: the item's values as a JSON
// array in kItemFields order) field by field, by name and in any order.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "domain/session_item_fields.h"

namespace kefu::domain {

class ItemValuesBuilder {
 public:
  using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

  // Sets `field` to the one JSON value `write` writes with the Writer it is given.
  template <typename Write>
  void Set(ItemField field, Write&& write) {
    buffer_.Clear();
    writer_.Reset(buffer_);
    write(writer_);
    values_[IndexOf(field)].assign(buffer_.GetString(), buffer_.GetSize());
  }
  void Text(ItemField field, std::string_view text);
  void TextOrNull(ItemField field, const std::optional<std::string>& text);
  void Integer(ItemField field, int64_t value);
  void IntegerOrNull(ItemField field, std::optional<int64_t> value);
  void Boolean(ItemField field, bool value);
  void Null(ItemField field);

  // The stored item array; fields never set are null.
  std::string Finish() const;

 private:
  rapidjson::StringBuffer buffer_;
  Writer writer_{buffer_};
  std::array<std::string, kItemFields.size()> values_;  // JSON texts; empty: null
};

}  // namespace kefu::domain
