// backup_records.cpp — see backup_records.h.
#include "backup/backup_records.h"

#include <nlohmann/json.hpp>

#include "base/sha256.h"
#include "store/machine_records.h"

namespace kaappi {
namespace {

std::string record_name(const std::string& identity) {
  Sha256Digest d = sha256(as_bytes(identity));
  return "backup-" + to_hex(ByteView(d.data(), 16));
}

}  // namespace

std::optional<BackupRecord> last_backup(const std::string& identity) {
  const std::string name = record_name(identity);
  std::optional<std::string> text = machine_records::read(name, 4096);
  if (!text) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  BackupRecord r;
  try {
    if (!j.is_object() || j.value("destination", "") != identity) machine_records::fail_unreadable(name);
    if (!from_hex(j.at("archive_id").get<std::string>(), r.archive_id) ||
        !from_hex(j.at("digest").get<std::string>(), r.head_digest))
      machine_records::fail_unreadable(name);
    r.head_tx = j.at("change").get<std::int64_t>();
    r.generation = j.at("generation").get<std::string>();
    r.at = j.at("at").get<std::int64_t>();
  } catch (const nlohmann::json::exception&) {
    machine_records::fail_unreadable(name);
  }
  return r;
}

void record_backup(const std::string& identity, const BackupRecord& record) {
  std::optional<BackupRecord> before = last_backup(identity);
  if (before && before->archive_id == record.archive_id && before->head_tx > record.head_tx) return;
  nlohmann::json j = {{"destination", identity},     {"archive_id", to_hex(record.archive_id)},
                      {"change", record.head_tx},    {"digest", to_hex(record.head_digest)},
                      {"generation", record.generation}, {"at", record.at}};
  machine_records::write(record_name(identity), j.dump() + "\n");
}

}  // namespace kaappi
