// erasure_reapply.cpp — see erasure_reapply.h.
#include "backup/erasure_reapply.h"

#include <set>
#include <tuple>

#include "backup/backup_check.h"
#include "backup/backup_records.h"
#include "base/dates.h"
#include "base/error.h"
#include "base/file_io.h"
#include "format/blob_format.h"
#include "register/customers.h"
#include "store/head_history.h"
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

namespace {

// Adds what `there` erased and restricted that the plan and the restored copy lack.
void plan_from(ReapplyPlan& plan, Index& there, const ReapplySource& from, std::set<Bytes>& held,
               std::set<Bytes>& held_restrictions) {
  for (ErasureRow& e : erasure_rows(there))
    if (held.insert(e.uid).second) plan.erasures.push_back({std::move(e), from});
  for (RestrictionRow& r : there.restrictions()) {
    if (!held_restrictions.insert(r.uid).second) continue;
    PlannedRestriction p;
    if (r.customer_id != 0)
      if (auto c = there.customer(r.customer_id)) p.customer_uid = c->uid;
    if (r.document_id != 0)
      if (auto d = there.document(r.document_id)) p.document_uid = d->uid;
    p.row = std::move(r);
    p.from = from;
    plan.restrictions.push_back(std::move(p));
  }
}

}  // namespace

ReapplyPlan plan_erasure_reapply(BackupDestination& dest, const ArchivePublicKey& key, OpenedBackup& restored,
                                 const std::string& local_archive, Observer& observer) {
  ReapplyPlan plan;
  std::set<Bytes> held;
  for (const ErasureRow& e : erasure_rows(restored.archive->index())) held.insert(e.uid);
  std::set<Bytes> held_restrictions;
  for (const RestrictionRow& r : restored.archive->index().restrictions()) held_restrictions.insert(r.uid);
  if (!restored.newest.empty() && restored.newest != restored.manifest.generation) {
    BackupCheckOptions check_options;
    check_options.generation = restored.newest;
    check_options.sample_percent = 0;
    check_options.quiet = true;
    BackupCheck check = check_backup(dest, key, check_options, observer);
    for (const Problem& p : check.report.problems) {
      // Rolled back against this machine's record of the destination: what the
      // generations removed erased is not there to be erased again. A blob
      // missing from it, its place in the history this machine knows (forked),
      // or damage beside it (other generations: it was opened, its index
      // checked) leaves its signed erasure log as sound as it is: only values
      // that hash to what it erased are erased again.
      if (p.problem == "backup rolled back") refuse_rolled_back_restore(dest, p);
      if (p.document || p.problem == "backup forked" || p.problem == "backup record unusable") continue;
      if (p.problem == "backup damaged" && check.generation == restored.newest) continue;
      fail(ErrorKind::corrupt, "generation " + restored.newest + " of " + dest.name() + ", newer than " +
                                   restored.manifest.generation + ", does not check out (" + p.problem + ": " +
                                   p.detail + "), so what it erased cannot be erased again in the restored copy; run "
                                   "kaappi verify-backup and mend the newest generation (or restore it) first. "
                                   "Nothing was restored");
    }
    OpenedBackup newest = open_backup(dest, restored.newest, observer);
    plan.newest = restored.newest;
    plan_from(plan, newest.archive->index(), ReapplySource{restored.newest, ""}, held, held_restrictions);
  }
  // This machine's archive, when it is still there: only one that is this
  // archive and continues what this machine saw is trusted to say what was erased.
  if (!local_archive.empty() && path_exists(local_archive + "/index.sqlite")) {
    try {
      Archive local(local_archive, Access::read, SchemaPolicy::enforce, silent_observer());
      if (local.archive_id() == key.archive_id && HeadHistory(local, key).check().continues()) {
        const std::size_t before = plan.erasures.size() + plan.restrictions.size();
        plan_from(plan, local.index(), ReapplySource{"", local_archive}, held, held_restrictions);
        if (plan.erasures.size() + plan.restrictions.size() > before) plan.local_archive = local_archive;
      }
    } catch (const Error&) {
      // It does not open: what it erased cannot be read (the README says what a restore cannot reach).
    }
  }
  return plan;
}

void refuse_rolled_back_restore(BackupDestination& dest, const Problem& rolled_back) {
  std::string missing = "the newer generation this machine recorded there";
  try {
    if (std::optional<BackupRecord> last = last_backup(dest.identity())) missing = "generation " + last->generation;
  } catch (const Error&) {  // the record unusable: the problem's detail names the generation
  }
  fail(ErrorKind::corrupt,
       "backup " + dest.name() + " was rolled back: " + rolled_back.detail + ". What was erased in " + missing +
           " (or before it, in generations no longer there) could not be erased again in the restored copy, so "
           "restoring would bring erased data back. Restore from where " + missing +
           " is (another copy of this backup); or, if this machine's archive still opens, back it up again "
           "(kaappi backup) and restore that new generation. Nothing was restored");
}

Reapplied reapply_erasures(Session& session, const ReapplyPlan& plan) {
  Index& index = session.index();
  index.refuse_unless_rows_whole();
  Reapplied done;
  struct Pending {
    std::size_t at;  // in out
    std::vector<ErasureTarget> targets;
    ErasureRow row;
  };
  std::vector<ReappliedErasure> out;
  std::vector<Pending> pending;
  std::vector<DocumentRow> documents;
  std::set<std::tuple<std::uint8_t, std::int64_t, std::uint8_t>> named;
  for (const PlannedErasure& planned : plan.erasures) {
    const ErasureRow& e = planned.row;
    ReappliedErasure r;
    r.original_uid = e.uid;
    r.original_at = e.at;
    r.from = planned.from;
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
      const std::string where = planned.from.generation.empty() ? "this machine's archive"
                                                                : "backup generation " + planned.from.generation;
      const std::string reason = "re-applies the erasure of " + date_of(e.at) + " kept in " + where +
                                 " to this archive restored from an older generation; that erasure's reason: " +
                                 original.reason;
      pending.push_back({out.size(), std::move(targets), new_erasure_row(session, reason, original.subject)});
    }
    out.push_back(std::move(r));
  }
  // The restrictions, of what the copy holds as the newest generation did.
  std::vector<RestrictionRow> restrictions;
  std::vector<std::size_t> restriction_at;  // in done.restrictions
  const std::vector<RestrictionRow> had = index.restrictions();
  std::set<std::int64_t> erasing;  // customers whose number goes with the erasures above
  for (const Pending& p : pending)
    for (const ErasureTarget& t : p.targets)
      if (t.table == "customers" && t.column == "number_tag") erasing.insert(t.row_id);
  for (const PlannedRestriction& p : plan.restrictions) {
    const RestrictionRow& o = p.row;
    ReappliedRestriction r;
    r.original_at = o.at;
    r.from = p.from;
    r.customer_id = o.customer_id;
    r.document_id = o.document_id;
    r.until = o.until;
    std::optional<CustomerRow> c;
    if (o.customer_id != 0) c = index.customer(o.customer_id);
    std::optional<DocumentRow> d;
    if (o.document_id != 0) d = index.document(o.document_id);
    if ((o.customer_id != 0 && !c) || (o.document_id != 0 && !d)) {
      r.skipped = "not in this generation";
    } else if ((c && c->uid != p.customer_uid) || (d && d->uid != p.document_uid)) {
      r.skipped = "the restored copy holds another " + std::string(d && d->uid != p.document_uid ? "document" : "customer") +
                  " under that id";
    } else if (d ? d->erased() : session.customer_erased(o.customer_id)) {
      r.skipped = "erased in this generation";
    } else {
      for (const RestrictionRow& h : had)
        if (h.customer_id == o.customer_id && h.document_id == o.document_id && h.until >= o.until)
          r.skipped = "already restricted in this generation";
    }
    if (r.skipped.empty()) {
      if (c && !c->number_tag.empty() && !erasing.count(c->id)) {
        try {
          if (auto customer = customer_by_id(session, o.customer_id)) r.customer_number = customer->number();
        } catch (const Error& e) {
          if (e.kind() != ErrorKind::not_found) throw;
        }
      }
      RestrictionRow row;
      row.uid = random_bytes(k_uid_size);
      row.customer_id = o.customer_id;
      row.document_id = o.document_id;
      row.until = o.until;
      row.at = o.at;  // restricted since then, as in the newest generation
      restrictions.push_back(row);
      restriction_at.push_back(done.restrictions.size());
    }
    done.restrictions.push_back(std::move(r));
  }
  if (pending.empty() && restrictions.empty()) {
    done.erasures = std::move(out);
    return done;
  }
  session.write([&](Index::Writer& w) {
    session.index().refuse_unless_rows_whole();
    for (Pending& p : pending) w.erase(p.targets, p.row);
    for (RestrictionRow& r : restrictions) w.insert_restriction(r);
  });
  for (const Pending& p : pending) out[p.at].row_id = p.row.id;
  for (std::size_t i = 0; i < restrictions.size(); ++i) done.restrictions[restriction_at[i]].row_id = restrictions[i].id;
  done.erasures = std::move(out);
  if (pending.empty()) return done;
  empty_wal_after_erasure(session);
  // The blobs go once the keys that open them are gone.
  for (const DocumentRow& d : documents) {
    const std::string path = session.archive().blob_path(d.uid);
    Dir dir = Dir::open(path.substr(0, path.rfind('/')));
    dir.remove(path.substr(path.rfind('/') + 1));
    dir.sync();
    for (const Pending& p : pending)
      for (const ErasureTarget& t : p.targets)
        if (t.table == "documents" && t.column == "sealed_key" && t.row_id == d.id)
          done.erasures[p.at].documents.push_back(d.id);
  }
  return done;
}

}  // namespace kaappi
