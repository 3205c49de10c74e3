// verifier.cpp — see verifier.h. The order of the checks; each is in its own file.
#include "verify/verifier.h"

#include <limits>

#include "base/error.h"
#include "store/head_history.h"
#include "store/restores.h"
#include "verify/archive_files_check.h"
#include "verify/decision_check.h"
#include "verify/erasure_check.h"
#include "verify/sealed_fields_check.h"
#include "verify/signed_rows.h"
#include "verify/stored_values_check.h"
#include "verify/transaction_check.h"
#include "verify/verify_context.h"

namespace kaappi {
namespace {

// The head this machine remembers (the rule is head_history's), and each
// restore from a backup the key holder accepted, as a note.
void check_history(VerifyContext& c) {
  HistoryCheck h = HeadHistory(c.archive, c.key).check();
  if (h.state == HistoryState::rolled_back) c.add({}, "archive rolled back", describe_break(h, c.archive.root()));
  if (h.state == HistoryState::forked) c.add({}, "archive forked", describe_break(h, c.archive.root()));
  if (h.state == HistoryState::replaced) c.add({}, "archive replaced", describe_break(h, c.archive.root()));
  if (h.state == HistoryState::unusable) c.add({}, "head record unusable", h.problem);
  if (h.state == HistoryState::re_anchored) c.note(describe_re_anchor(h, c.archive.root()));
  c.index.each<RestoreRow>(
      [&](const RestoreRow& r) {
        std::string note = describe_restore(r, c.index.transaction_of_seq(r.seq));
        if (c.session) try {
            RestoreReason why = open_restore_reason(c.session->keys().field(), r);
            note += "; accepted by " + why.by + ": " + why.reason;
          } catch (const Error& e) {
            c.add({}, "restore record altered", "restore row " + std::to_string(r.id) + ": " + e.what());
          }
        c.note(note);
      },
      std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
}

VerifyReport run_checks(VerifyContext& c) {
  // An altered schema can hide anything; rows are still checked where their
  // tables can be read.
  for (const auto& p : c.index.schema_problems()) c.add({}, "index schema altered", p);
  c.guarded("the index file's structure", [&] {
    for (auto& line : c.index.structure_problems())
      c.add({}, "index structure damaged", "SQLite's integrity check: " + line);
  });
  ErasureCheck erasures;
  c.guarded("erasures", [&] { erasures.read(c); });
  c.guarded("index rows", [&] { check_transactions(c, walk_signed_rows(c, erasures)); });
  c.guarded("erasures", [&] { erasures.check_named_values(c); });
  c.guarded("index values", [&] {
    for (auto& problem : stored_value_problems(c.index)) c.report.problems.push_back(std::move(problem));
    for (std::int64_t id : c.index.customers_without_key())
      c.add({}, "customer record altered", "customer " + std::to_string(id) + " has no key row");
  });
  if (!c.options.of_backup) c.guarded("the archive's history", [&] { check_history(c); });
  c.guarded("blobs", [&] { check_blobs(c, erasures); });
  if (!c.options.of_backup) c.guarded("archive folder", [&] { check_archive_folder(c); });
  c.guarded("decisions made on rows not found", [&] { check_decisions(c); });
  if (c.session) c.guarded("sealed fields", [&] { check_sealed_fields(c, erasures); });
  return std::move(c.report);
}

}  // namespace

VerifyReport verify_archive(Archive& archive, const ArchivePublicKey& key, Session* session,
                            const VerifyOptions& options) {
  const Bytes& held = archive.archive_id();
  if (!held.empty() && held != key.archive_id) {
    // The key names another archive. Made with the same key pair (kaappi
    // init --reuse-key) and put in this folder, it is a replaced archive;
    // with other keys, it is the wrong key.
    const ArchivePublicKey own = archive_public_key(archive.index());
    if (own.box_pk != key.box_pk || own.sign_pk != key.sign_pk)
      fail(ErrorKind::auth, "this public key does not belong to archive " + archive.root());
    VerifyReport replaced;
    replaced.problems.push_back(
        {std::nullopt, "archive replaced",
         "archive folder " + archive.root() + " holds archive " + to_hex(held) + ", not archive " +
             to_hex(key.archive_id) + " that the public key names; it was made with the same key (kaappi init "
             "--reuse-key) and put in its place. Nothing else was checked"});
    return replaced;
  }
  // Verify reads every row as it is and reports what does not hold.
  const Index::UncheckedReads unchecked(archive.index());
  VerifyContext c{archive, archive.index(), key, session, options, {}, {}};
  return run_checks(c);
}

}  // namespace kaappi
