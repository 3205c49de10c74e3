// head_history.h — the head of an archive that this machine remembers, and the
// one rule of whether the archive still continues it (docs/FORMAT.md,
// "Rollback, forks and restores").
//
// The archive *continues* the remembered head (transaction t, digest d) when
// that head is part of its chain: its head (last transaction) verifies with
// the archive's key, transaction t has digest d, and each later transaction's
// digest follows from the one before (only the transaction rows are read). A
// format-1 head (seq s, digest d) that this machine saw before the archive's
// upgrade continues through the signed upgrades row: when it names (s, d), or
// s is below its format-1 head (which the upgrade checked). A head below t
// is rolled back; any other is forked. Neither is written to or remembered,
// except through a signed restore row that gives the remembered head up
// (kaappi accept-restore): then this machine re-anchors to the archive's
// head. The remembered head is replaced only by a head that continues it.
//
// This machine also remembers which archive id it last saw in each archive
// folder (by the folder's real path): a folder that now holds another archive
// (one made with the same key, kaappi init --reuse-key) is *replaced*, and
// is not written to until the key holder accepts it (take_folder). A moved
// archive (the same id in another folder) is simply remembered there too.
// Records that cannot be used are never taken for a first use
// (machine_records.h): the check says *unusable*, and writers refuse.
// Session (before every write), verify, recover, upgrade and init use this; nothing
// else reads or writes these records. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "format/public_key.h"
#include "store/archive.h"

namespace kaappi {

// What this machine remembers of an archive: its head, and the uids of the
// restore rows in that head's history (a restore row re-anchors only a head
// whose history does not hold it already).
struct SeenHead {
  std::int64_t tx = 0;  // a format-1 record: the seq of its head
  Bytes digest;
  std::vector<Bytes> restore_uids;
  bool format1 = false;  // remembered before the archive's upgrade to format 2
};

// This machine's record of archive `archive_id`'s head, if any (kaappi
// upgrade reads it of a format-1 archive, which no Index opens). Throws
// StateUnusable.
std::optional<SeenHead> remembered_head(const Bytes& archive_id);
// The archive id this machine last saw in folder `root`, if any. Throws StateUnusable.
std::optional<Bytes> remembered_folder(const std::string& root);

enum class HistoryState {
  first_seen,    // this machine remembers nothing of the archive yet
  continues,     // the remembered head is part of the archive's chain
  re_anchored,   // it is not, but a signed restore row in the chain gave it up
  rolled_back,   // the archive's head is older than the remembered one
  forked,        // the remembered head is not in the archive's chain
  head_altered,  // the archive's head does not match its signature
  replaced,      // the folder held another archive (previous_archive) when this machine last saw it
  unusable,      // this machine's records cannot be used (problem says why); nothing is known
};

struct HistoryCheck {
  HistoryState state = HistoryState::first_seen;
  SeenHead remembered;   // unless first_seen
  TransactionRow head;   // the archive's
  Bytes archive_id;      // the archive's
  RestoreRow restore;    // re_anchored: the restore row that gave the remembered head up
  std::int64_t restore_tx = 0;  // re_anchored: the transaction that added it
  Bytes previous_archive;  // replaced: the archive id this machine last saw in the folder
  std::string problem;     // unusable: what is wrong with the records, and what to do
  // Whether the archive may be written and its head remembered.
  bool continues() const {
    return state == HistoryState::first_seen || state == HistoryState::continues ||
           state == HistoryState::re_anchored;
  }
};

class HeadHistory {
 public:
  // `key`: the archive's id and signing key, as the caller trusts them.
  HeadHistory(Archive& archive, ArchivePublicKey key);
  // The archive at `root` whose index is `index` (kaappi upgrade's trial copy).
  HeadHistory(Index& index, std::string root, ArchivePublicKey key);
  // Keyless: the key is the one the archive's own signed archive row names
  // (kaappi recover and upgrade, which ask for no key).
  HeadHistory(Index& index, std::string root);

  // Compares the archive's head with the one this machine remembers.
  HistoryCheck check() const;
  // The check before every write (Session::write, kaappi recover, kaappi
  // upgrade): check(), refusing (refuse_write) a write to an archive that
  // does not continue the remembered head; returns the check.
  HistoryCheck check_before_write() const;
  // The same for the archive's own record only, whatever its folder held
  // (the check of an archive that check() says replaced its folder's).
  HistoryCheck check_head() const;
  // Remembers the archive's head (and that its folder holds it) when check()
  // says it continues (never a lower or forked one) and returns the check.
  // Throws StateUnusable (machine_records.h) when that cannot be written.
  HistoryCheck advance();
  // Remembers that the archive's folder holds this archive, whatever it
  // held before (a new archive made here; the key holder's acceptance of one
  // that check() says replaced its folder's), and its head — only when the
  // archive continues this machine's own record of it (check_head(), which
  // it returns). Throws StateUnusable.
  HistoryCheck take_folder();
  // The change number this machine's record names now (nothing: there is no
  // record), as read back, whatever a failed write left. Throws StateUnusable.
  std::optional<std::int64_t> remembered_change() const;

 private:
  void write_state(const TransactionRow& head, const std::vector<Bytes>& restore_uids) const;
  void remember(const HistoryCheck& check);
  bool chain_follows(std::int64_t tx, const Bytes& digest, const TransactionRow& head) const;
  bool row_in_chain(std::int64_t seq, const TransactionRow& head) const;
  bool continues_from(const SeenHead& seen, const TransactionRow& head) const;
  std::optional<UpgradeRow> upgrade_row() const;
  bool find_restore(const SeenHead& seen, const TransactionRow& head, RestoreRow& out, std::int64_t& out_tx) const;
  std::vector<Bytes> restore_uids() const;
  Index& m_index;
  std::string m_root;
  ArchivePublicKey m_key;
};

// One sentence on a check that does not continue: "archive A was rolled back:
// this machine last saw change 57 (digest abcd1234…), the archive's head is
// change 52".
std::string describe_break(const HistoryCheck& check, const std::string& root);
// Refuses a write to an archive that does not continue (ErrorKind::corrupt;
// ErrorKind::rejected when the records are unusable): describe_break, that
// nothing was changed, and what to do.
[[noreturn]] void refuse_write(const HistoryCheck& check, const std::string& root);
// What a restore row, added by transaction `tx`, says: "restore row N
// (change S): on DATE the archive was restored from a backup; change L
// (digest …) and the changes before it that the backup did not hold were
// given up".
std::string describe_restore(const RestoreRow& row, std::int64_t tx);
// What a re-anchored check means: "archive A was restored from a backup on
// DATE (restore row N): ...; the changes Q to S that this machine saw are not
// in this archive; this machine re-anchored at change H".
std::string describe_re_anchor(const HistoryCheck& check, const std::string& root);

}  // namespace kaappi
