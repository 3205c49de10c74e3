// erasure_reapply.cpp — see erasure_reapply.h.
#include "backup/erasure_reapply.h"

#include <set>
#include <tuple>

#include "backup/backup_check.h"
#include "base/dates.h"
#include "base/error.h"
#include "base/file_io.h"
#include "store/session.h"

namespace kaappi {
namespace {

std::vector<ErasureRow> erasure_rows(Index& index) {
  std::vector<ErasureRow> out;
  const auto [first, last] = index.id_range<ErasureRow>();
  index.each<ErasureRow>([&](const ErasureRow& e) { out.push_back(e); }, first, last);
  return out;
}

}  // namespace

ReapplyPlan plan_erasure_reapply(BackupDestination& dest, const ArchivePublicKey& key, OpenedBackup& restored,
                                 Observer& observer) {
  ReapplyPlan plan;
  if (restored.newest.empty() || restored.newest == restored.manifest.generation) return plan;
  BackupCheckOptions check_options;
  check_options.generation = restored.newest;
  check_options.sample_percent = 0;
  check_options.quiet = true;
  BackupCheck check = check_backup(dest, key, check_options, observer);
  for (const Problem& p : check.report.problems) {
    // A blob missing from it, its place in the history this machine knows
    // (rolled back, which restore accepts of any generation, or forked), or
    // damage beside it (other generations: it was opened, its index checked)
    // leaves its signed erasure log as sound as it is: only values that hash
    // to what it erased are erased again.
    if (p.document || p.problem == "backup rolled back" || p.problem == "backup forked" ||
        p.problem == "backup record unusable")
      continue;
    if (p.problem == "backup damaged" && check.generation == restored.newest) continue;
    fail(ErrorKind::corrupt, "generation " + restored.newest + " of " + dest.name() + ", newer than " +
                                 restored.manifest.generation + ", does not check out (" + p.problem + ": " +
                                 p.detail + "), so what it erased cannot be erased again in the restored copy; run "
                                 "kaappi verify-backup and mend the newest generation (or restore it) first. "
                                 "Nothing was restored");
  }
  std::set<Bytes> held;
  for (const ErasureRow& e : erasure_rows(restored.archive->index())) held.insert(e.uid);
  OpenedBackup newest = open_backup(dest, restored.newest, observer);
  plan.newest = restored.newest;
  for (ErasureRow& e : erasure_rows(newest.archive->index()))
    if (!held.count(e.uid)) plan.erasures.push_back(std::move(e));
  return plan;
}

std::vector<ReappliedErasure> reapply_erasures(Session& session, const ReapplyPlan& plan) {
  Index& index = session.index();
  index.refuse_unless_rows_whole();
  struct Pending {
    std::size_t at;  // in out
    std::vector<ErasureTarget> targets;
    ErasureRow row;
  };
  std::vector<ReappliedErasure> out;
  std::vector<Pending> pending;
  std::vector<DocumentRow> documents;
  std::set<std::tuple<std::uint8_t, std::int64_t, std::uint8_t>> named;
  for (const ErasureRow& e : plan.erasures) {
    ReappliedErasure r;
    r.original_uid = e.uid;
    r.original_at = e.at;
    r.generation = plan.newest;
    const ErasureReason original = open_erasure_reason(session.keys().field(), e);
    std::vector<ErasureTarget> targets;
    for (const ErasedValue& v : decode_erased(e.erased)) {
      std::string name;
      std::optional<SqlValue> value = index.erasable_value(v.table, v.column, v.row_id, name);
      if (name.empty()) {
        r.differing.push_back("value " + std::to_string(v.column) + " of table " + std::to_string(v.table) +
                              ", row " + std::to_string(v.row_id) + ": no erasable value of this archive's format");
        continue;
      }
      const std::string where = name + " of row " + std::to_string(v.row_id);
      if (!value) {
        ++r.not_in_copy;
        continue;
      }
      if (value->type == SqlValue::Type::null) {
        ++r.already_erased;
        continue;
      }
      if (sealed_value_hash(*value) != v.hash) {
        r.differing.push_back(where + ": the restored copy holds another value than the one erased");
        continue;
      }
      if (!named.insert({v.table, v.row_id, v.column}).second) continue;
      const std::size_t dot = name.find('.');
      ErasureTarget t{name.substr(0, dot), v.row_id, name.substr(dot + 1)};
      if (t.table == "documents" && t.column == "sealed_key")
        if (auto d = index.document(v.row_id)) documents.push_back(*d);
      targets.push_back(std::move(t));
    }
    r.values = static_cast<std::int64_t>(targets.size());
    if (!targets.empty()) {
      const std::string reason = "re-applies the erasure of " + date_of(e.at) + " kept in backup generation " +
                                 plan.newest + " to this archive restored from an older generation; that "
                                 "erasure's reason: " + original.reason;
      pending.push_back({out.size(), std::move(targets), new_erasure_row(session, reason, original.subject)});
    }
    out.push_back(std::move(r));
  }
  if (pending.empty()) return out;
  session.write([&](Index::Writer& w) {
    session.index().refuse_unless_rows_whole();
    for (Pending& p : pending) w.erase(p.targets, p.row);
  });
  for (const Pending& p : pending) out[p.at].row_id = p.row.id;
  empty_wal_after_erasure(session);
  // The blobs go once the keys that open them are gone.
  for (const DocumentRow& d : documents) {
    const std::string path = session.archive().blob_path(d.uid);
    Dir dir = Dir::open(path.substr(0, path.rfind('/')));
    dir.remove(path.substr(path.rfind('/') + 1));
    dir.sync();
    for (const Pending& p : pending)
      for (const ErasureTarget& t : p.targets)
        if (t.table == "documents" && t.column == "sealed_key" && t.row_id == d.id) out[p.at].documents.push_back(d.id);
  }
  return out;
}

}  // namespace kaappi
