// value_sealer.cpp — see value_sealer.h.
#include "keys/value_sealer.h"

#include "keys/sealed_value.h"

namespace kaappi {
namespace {
constexpr std::string_view k_label = "kaappi-field-v2";
}  // namespace

ValueSealer::ValueSealer(ByteView key, const Bytes& archive_id) : m_key(key), m_archive_id(&archive_id) {}

ValueSealer::ValueSealer(SecretBuffer key, const Bytes& archive_id)
    : m_owned(std::move(key)), m_archive_id(&archive_id) {}

Bytes ValueSealer::seal(std::string_view table, std::string_view column, ByteView row_uid,
                        std::string_view value) const {
  return seal_value(key(), {k_label, *m_archive_id, table, column, row_uid}, value);
}

std::string ValueSealer::open(std::string_view table, std::string_view column, ByteView row_uid,
                              ByteView sealed) const {
  return open_value(key(), {k_label, *m_archive_id, table, column, row_uid}, sealed);
}

ColumnOpener format2_column_opener(const Bytes& archive_id, std::string_view table, std::string_view column) {
  return ColumnOpener(k_label, archive_id, table, column);
}

}  // namespace kaappi
