// head_history.cpp — see head_history.h.
#include "store/head_history.h"

#include <sodium.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <optional>
#include <sstream>

#include "base/dates.h"
#include "base/error.h"
#include "base/file_io.h"
#include "store/machine_records.h"
#include "store/transactions.h"

namespace kaappi {
namespace {

// "change 57 (digest abcd1234…)"
std::string change(std::int64_t seq, const Bytes& digest) {
  return "change " + std::to_string(seq) + " (digest " + to_hex(digest).substr(0, 8) + "…)";
}

}  // namespace

HeadHistory::HeadHistory(Archive& archive, ArchivePublicKey key)
    : HeadHistory(archive.index(), archive.root(), std::move(key)) {}

HeadHistory::HeadHistory(Index& index, std::string root, ArchivePublicKey key)
    : m_index(index), m_root(std::move(root)), m_key(std::move(key)) {}

HeadHistory::HeadHistory(Index& index, std::string root)
    : HeadHistory(index, std::move(root), archive_public_key(index)) {}

namespace {

std::string state_name(const Bytes& archive_id) { return to_hex(archive_id) + ".head"; }

// The folder's real path, hashed: no path appears in a file name.
std::string folder_name(const std::string& root) {
  char* real = ::realpath(root.c_str(), nullptr);
  if (real == nullptr) fail_errno("cannot resolve the archive folder " + root);
  std::string path(real);
  std::free(real);
  Bytes hash(crypto_generichash_BYTES);
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(path.data()), path.size(),
                     nullptr, 0);
  return to_hex(hash) + ".folder";
}

}  // namespace

// "t<tx> <digest hex>[ <restore uid hex> ...]\n"; a format-1 record has
// "<seq>" in place of "t<tx>".
std::optional<SeenHead> remembered_head(const Bytes& archive_id) {
  const std::string name = state_name(archive_id);
  std::optional<std::string> text = machine_records::read(name, 64 * 1024);
  if (!text) return std::nullopt;
  SeenHead seen;
  std::istringstream in(*text);
  std::string change, hex;
  in >> change >> hex;
  seen.format1 = !change.empty() && change[0] != 't';
  const std::string number = seen.format1 ? change : change.substr(std::min<size_t>(1, change.size()));
  if (!in || number.empty() || number.find_first_not_of("0123456789") != std::string::npos || number.size() > 18)
    machine_records::fail_unreadable(name);
  seen.tx = std::stoll(number);
  if (seen.tx < 1 || !from_hex(hex, seen.digest) || seen.digest.size() != 32) machine_records::fail_unreadable(name);
  Bytes uid;
  while (in >> hex) {
    if (!from_hex(hex, uid) || uid.empty()) machine_records::fail_unreadable(name);
    seen.restore_uids.push_back(uid);
  }
  if (!in.eof()) machine_records::fail_unreadable(name);
  return seen;
}

// "<archive id hex>\n".
std::optional<Bytes> remembered_folder(const std::string& root) {
  const std::string name = folder_name(root);
  std::optional<std::string> text = machine_records::read(name, 256);
  if (!text) return std::nullopt;
  Bytes archive_id;
  if (text->empty() || text->back() != '\n' || !from_hex(text->substr(0, text->size() - 1), archive_id) ||
      archive_id.empty())
    machine_records::fail_unreadable(name);
  return archive_id;
}

void HeadHistory::write_state(const TransactionRow& head, const std::vector<Bytes>& restore_uids) const {
  // Appended piece by piece: GCC 12's -Wrestrict misfires on "x" + std::string at -O3.
  std::string text = "t";
  text += std::to_string(head.tx);
  text += ' ';
  text += to_hex(head.digest);
  for (const Bytes& uid : restore_uids) {
    text += ' ';
    text += to_hex(uid);
  }
  text += '\n';
  machine_records::write(state_name(m_key.archive_id), text);
}

// The head, and the folder when it is not remembered with this archive yet.
void HeadHistory::remember(const HistoryCheck& c) {
  write_state(c.head, restore_uids());
  std::optional<Bytes> there = remembered_folder(m_root);
  if (!there || *there != m_key.archive_id)
    machine_records::write(folder_name(m_root), to_hex(m_key.archive_id) + "\n");
}

// Whether transaction `tx` has `digest` and every later one follows from the
// one before, up to the head (whose signature the caller checked).
bool HeadHistory::chain_follows(std::int64_t tx, const Bytes& digest, const TransactionRow& head) const {
  if (head.tx < tx) return false;
  std::optional<TransactionRow> start = m_index.transaction(tx);
  if (!start || start->digest != digest) return false;
  Bytes previous = digest;
  std::int64_t expected = tx + 1;
  bool follows = true;
  m_index.each_transaction(tx + 1, [&](const TransactionRow& t) {
    follows = follows && t.tx == expected++ && transaction_digest_of(t, m_key.archive_id, previous) == t.digest;
    previous = t.digest;
  });
  return follows && expected == head.tx + 1 && previous == head.digest;
}

// Whether the row with sequence number `seq` is one the signed chain holds:
// its transaction's rows hash to what the transaction says, and the chain
// from the first transaction follows up to the head.
bool HeadHistory::row_in_chain(std::int64_t seq, const TransactionRow& head) const {
  std::int64_t tx = m_index.transaction_of_seq(seq);
  std::optional<TransactionRow> t = m_index.transaction(tx);
  if (!t) return false;
  std::int64_t first = 1;
  if (tx > 1) {
    std::optional<TransactionRow> before = m_index.transaction(tx - 1);
    if (!before) return false;
    first = before->last_seq + 1;
  }
  try {
    Sha256Digest rows = m_index.hash_rows(first, t->last_seq);
    if (Bytes(rows.begin(), rows.end()) != t->rows) return false;
  } catch (const Error&) {
    return false;
  }
  std::optional<TransactionRow> one = m_index.transaction(1);
  if (!one || transaction_digest_of(*one, m_key.archive_id, Bytes(32, 0)) != one->digest) return false;
  return chain_follows(1, one->digest, head);
}

std::optional<UpgradeRow> HeadHistory::upgrade_row() const {
  std::optional<UpgradeRow> out;
  m_index.each<UpgradeRow>([&](const UpgradeRow& u) { if (!out) out = u; },
                           std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
  return out;
}

bool HeadHistory::continues_from(const SeenHead& seen, const TransactionRow& head) const {
  if (!seen.format1) return chain_follows(seen.tx, seen.digest, head);
  // Seen before the upgrade: continued through the signed upgrades row.
  std::optional<UpgradeRow> u = upgrade_row();
  if (!u) return false;
  bool named = (seen.tx == u->old_seq && seen.digest == u->old_digest) || seen.tx < u->old_seq;
  return named && row_in_chain(u->seq, head);
}

// A signed restore row in the archive's chain that gives the remembered head
// up: one that is not in the remembered head's history and names that head,
// or a later one (lost change above it), in the same numbering (a format-1
// head by a restore row from before the upgrade, a transaction by one after
// it). The first such row, preferring one that names the head exactly.
bool HeadHistory::find_restore(const SeenHead& seen, const TransactionRow& head, RestoreRow& out,
                               std::int64_t& out_tx) const {
  std::optional<UpgradeRow> u = upgrade_row();
  bool found = false;
  m_index.each<RestoreRow>(
      [&](const RestoreRow& r) {
        bool same_numbering = (u && r.seq < u->seq) == seen.format1;
        bool exact = r.lost_tx == seen.tx && r.lost_digest == seen.digest;
        bool seen_before = std::find(seen.restore_uids.begin(), seen.restore_uids.end(), r.uid) != seen.restore_uids.end();
        bool gives_up = !seen_before && (exact || (same_numbering && r.lost_tx > seen.tx));
        if (!gives_up || !row_in_chain(r.seq, head)) return;
        bool better = !found || (exact && !(out.lost_tx == seen.tx && out.lost_digest == seen.digest));
        if (better) out = r;
        found = true;
      },
      std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
  if (found) out_tx = m_index.transaction_of_seq(out.seq);
  return found;
}

std::vector<Bytes> HeadHistory::restore_uids() const {
  std::vector<Bytes> uids;
  m_index.each<RestoreRow>([&](const RestoreRow& r) { uids.push_back(r.uid); },
                                     std::numeric_limits<std::int64_t>::min(),
                                     std::numeric_limits<std::int64_t>::max());
  return uids;
}

HistoryCheck HeadHistory::check() const {
  HistoryCheck c;
  c.archive_id = m_key.archive_id;
  try {
    c.head = m_index.head();
  } catch (const Error&) {
    c.state = HistoryState::head_altered;  // no transaction at all
    return c;
  }
  if (!m_index.head_is_sound(c.head, m_key.sign_pk)) {
    c.state = HistoryState::head_altered;
    return c;
  }
  if (m_key.archive_id.empty()) return c;  // an archive without an id: nothing to remember it by
  try {
    std::optional<Bytes> there = remembered_folder(m_root);
    if (there && *there != m_key.archive_id) {
      c.state = HistoryState::replaced;
      c.previous_archive = *there;
      return c;
    }
    return check_head();
  } catch (const StateUnusable& e) {
    c.state = HistoryState::unusable;
    c.problem = e.what();
    return c;
  }
}

// The archive's history against this machine's record of its head.
HistoryCheck HeadHistory::check_head() const {
  HistoryCheck c;
  c.head = m_index.head();
  c.archive_id = m_key.archive_id;
  std::optional<SeenHead> seen = remembered_head(m_key.archive_id);
  if (!seen) {
    c.state = HistoryState::first_seen;
    return c;
  }
  c.remembered = std::move(*seen);
  if (continues_from(c.remembered, c.head))
    c.state = HistoryState::continues;
  else if (find_restore(c.remembered, c.head, c.restore, c.restore_tx))
    c.state = HistoryState::re_anchored;
  else if (c.remembered.format1)  // a format-1 head this archive's upgrade does not continue
    c.state = c.remembered.tx == upgrade_row().value_or(UpgradeRow{}).old_seq ? HistoryState::forked
                                                                                : HistoryState::rolled_back;
  else
    c.state = c.head.tx < c.remembered.tx ? HistoryState::rolled_back : HistoryState::forked;
  return c;
}

HistoryCheck HeadHistory::check_before_write() const {
  HistoryCheck c = check();
  if (!c.continues()) refuse_write(c, m_root);
  return c;
}

HistoryCheck HeadHistory::advance() {
  HistoryCheck c = check();
  if (c.continues() && !m_key.archive_id.empty()) remember(c);
  return c;
}

HistoryCheck HeadHistory::take_folder() {
  HistoryCheck own = check_head();
  if (!own.continues() || m_key.archive_id.empty()) return own;
  machine_records::write(folder_name(m_root), to_hex(m_key.archive_id) + "\n");
  remember(own);
  return own;
}

std::optional<std::int64_t> HeadHistory::remembered_change() const {
  std::optional<SeenHead> seen = remembered_head(m_key.archive_id);
  if (!seen) return std::nullopt;
  return seen->tx;
}

std::string describe_break(const HistoryCheck& c, const std::string& root) {
  const SeenHead& seen = c.remembered;
  switch (c.state) {
    case HistoryState::rolled_back:
      return "archive " + root + " was rolled back: this machine last saw " + change(seen.tx, seen.digest) +
             (seen.format1 ? " (before the archive's upgrade to format 2)" : "") +
             ", the archive's head is change " + std::to_string(c.head.tx);
    case HistoryState::forked:
      return "archive " + root + " has been forked or replaced: " + change(seen.tx, seen.digest) +
             " that this machine saw is not in its history (its head is change " + std::to_string(c.head.tx) + ")";
    case HistoryState::head_altered:
      return "archive " + root + " was altered: its head does not match its signature";
    case HistoryState::replaced:
      return "archive folder " + root + " was replaced: it held archive " + to_hex(c.previous_archive) +
             " when this machine last used it, and now holds another archive, " + to_hex(c.archive_id) +
             ", made with the same key";
    case HistoryState::unusable:
      return c.problem;
    case HistoryState::first_seen:
    case HistoryState::continues:
    case HistoryState::re_anchored:
      break;
  }
  return "archive " + root + " continues the history this machine saw";
}

void refuse_write(const HistoryCheck& c, const std::string& root) {
  if (c.state == HistoryState::unusable) fail(ErrorKind::rejected, describe_break(c, root) + "; nothing was changed");
  if (c.state == HistoryState::replaced)
    fail(ErrorKind::corrupt, describe_break(c, root) +
                                 "; nothing was changed. Run kaappi verify; if you put that archive there on "
                                 "purpose, run kaappi accept-restore " +
                                 Field{"other_archive"});
  if (c.state == HistoryState::head_altered)
    fail(ErrorKind::corrupt, describe_break(c, root) + "; nothing was changed; run kaappi verify");
  if (c.state == HistoryState::forked)
    fail(ErrorKind::corrupt, describe_break(c, root) +
                                 "; nothing was changed. Run kaappi verify; if this copy is the one to keep (the "
                                 "changes only the other copy holds are then given up), run kaappi accept-restore " +
                                 Field{"reason"} + " TEXT");
  fail(ErrorKind::corrupt, describe_break(c, root) +
                               "; nothing was changed. Run kaappi verify; if you restored the archive from a backup "
                               "on purpose, run kaappi accept-restore " +
                               Field{"reason"} + " TEXT");
}

namespace {

// A restore row gives up a head that was ahead of the archive (a restore
// from a backup: the lost change is at least the row's own) or one beside it
// on another branch (a fork that was kept: the lost change is below it).
bool gave_up_a_fork(const RestoreRow& r, std::int64_t tx) { return r.lost_tx < tx; }

std::string what_was_accepted(const RestoreRow& r, std::int64_t tx) {
  return gave_up_a_fork(r, tx) ? "a forked copy of the archive was kept" : "the archive was restored from a backup";
}

std::string earlier_ones_given_up(const RestoreRow& r, std::int64_t tx) {
  return gave_up_a_fork(r, tx) ? "only the other copy held" : "the backup did not hold";
}

}  // namespace

std::string describe_restore(const RestoreRow& r, std::int64_t tx) {
  return "restore row " + std::to_string(r.id) + " (change " + std::to_string(tx) + "): on " + format_time(r.at) +
         " " + what_was_accepted(r, tx) + "; " + change(r.lost_tx, r.lost_digest) + " and the changes before it that " +
         earlier_ones_given_up(r, tx) + " were given up";
}

// Which of the changes this machine saw the archive does not hold: from the
// restore row's change on the archive holds others; a machine that followed
// another abandoned branch may have seen more below it, which only the
// remembered head's own number tells.
std::string describe_re_anchor(const HistoryCheck& c, const std::string& root) {
  const SeenHead& seen = c.remembered;
  const std::int64_t tx = c.restore_tx;
  const std::int64_t first_other = tx;
  const std::string given_up = earlier_ones_given_up(c.restore, tx);
  std::string missing;
  if (seen.format1)
    missing = "that change (and any earlier ones " + given_up + ") is not in this archive";
  else if (seen.tx == first_other)
    missing = "change " + std::to_string(seen.tx) + " that it saw (and any earlier ones " + given_up +
              ") is not in this archive";
  else if (seen.tx > first_other)
    missing = "changes " + std::to_string(first_other) + " to " + std::to_string(seen.tx) +
              " that it saw (and any earlier ones " + given_up + ") are not in this archive";
  else
    missing = "that change (and any earlier ones on its branch) is not in this archive, whose change " +
              std::to_string(seen.tx) + " is another";
  const std::string accepted = gave_up_a_fork(c.restore, tx) ? " was kept as the copy to follow after a fork, on "
                                                              : " was restored from a backup on ";
  return "archive " + root + accepted + format_time(c.restore.at) + " (restore row " + std::to_string(c.restore.id) +
         ", change " + std::to_string(tx) + "), giving up " + change(c.restore.lost_tx, c.restore.lost_digest) +
         " and the changes before it that " + given_up + ". This machine saw changes up to " +
         change(seen.tx, seen.digest) + ": " + missing + "; re-anchored at change " + std::to_string(c.head.tx);
}

}  // namespace kaappi
