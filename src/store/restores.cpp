// restores.cpp — see restores.h, and Session::accept_restore and
// Session::accept_other_archive (session.h).
#include "store/restores.h"

#include "base/error.h"
#include "format/blob_format.h"
#include "store/machine_records.h"
#include "store/session.h"

namespace kaappi {

Bytes seal_restore_reason(const ValueSealer& sealer, const RestoreRow& row, const RestoreReason& reason) {
  return seal_reason(sealer, "restores", row.uid, reason);
}

RestoreReason open_restore_reason(const ValueSealer& sealer, const RestoreRow& row) {
  return open_reason(sealer, "restores", row.uid, row.reason, "restore row " + std::to_string(row.id));
}

Session::AcceptedRestore Session::accept_restore(const std::string& root, const UnlockOptions& options,
                                                 const std::string& reason) {
  if (reason.find_first_not_of(" \t\n") == std::string::npos)
    fail(ErrorKind::usage, "say why the archive was restored from a backup: " + Field{"reason"} +
                               " TEXT (it is recorded, signed, in the archive)");
  Session s(root, Access::write, options, SchemaPolicy::enforce, HistoryRule::accepting_restore);
  AcceptedRestore out;
  out.was = s.m_opened.state;
  RestoreRow& row = out.row;
  row.uid = random_bytes(k_uid_size);
  row.lost_tx = s.m_opened.remembered.tx;
  row.lost_digest = s.m_opened.remembered.digest;
  row.at = s.now();
  row.reason = seal_restore_reason(s.keys().field(), row, RestoreReason{s.actor().name, reason, ""});
  s.write([&](Index::Writer& writer) { writer.insert_restore(row); });
  HistoryCheck now = HeadHistory(s.archive(), s.public_key()).check();
  if (now.state != HistoryState::continues)
    fail(ErrorKind::corrupt, "the restore was recorded, but archive " + root +
                                 " does not check out as one signed chain; run kaappi verify");
  out.head_tx = now.head.tx;
  return out;
}

Session::AcceptedArchive Session::accept_other_archive(const std::string& root, const UnlockOptions& options) {
  Session s(root, Access::write, options, SchemaPolicy::enforce, HistoryRule::accepting_other_archive);
  AcceptedArchive out;
  out.previous_archive = s.m_opened.previous_archive;
  out.archive_id = s.archive().archive_id();
  HistoryCheck now;
  try {
    now = HeadHistory(s.archive(), s.public_key()).take_folder();
  } catch (const StateUnusable& e) {
    fail(ErrorKind::rejected, std::string(e.what()) + "; nothing was changed");
  }
  if (!now.continues()) refuse_write(now, root);
  out.head_tx = now.head.tx;
  return out;
}

}  // namespace kaappi
