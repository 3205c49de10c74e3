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

std::string HeadHistory::state_name() const { return to_hex(m_key.archive_id) + ".head"; }

// The folder's real path, hashed: no path appears in a file name.
std::string HeadHistory::folder_name() const {
  char* real = ::realpath(m_root.c_str(), nullptr);
  if (real == nullptr) fail_errno("cannot resolve the archive folder " + m_root);
  std::string path(real);
  std::free(real);
  Bytes hash(crypto_generichash_BYTES);
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(path.data()), path.size(),
                     nullptr, 0);
  return to_hex(hash) + ".folder";
}

// "<seq> <digest hex>[ <restore uid hex> ...]\n".
bool HeadHistory::read_state(SeenHead& seen) const {
  std::optional<std::string> text = machine_records::read(state_name(), 64 * 1024);
  if (!text) return false;
  std::istringstream in(*text);
  std::string hex;
  in >> seen.seq >> hex;
  if (!in || seen.seq < 1 || !from_hex(hex, seen.digest) || seen.digest.size() != 32)
    machine_records::fail_unreadable(state_name());
  Bytes uid;
  while (in >> hex) {
    if (!from_hex(hex, uid) || uid.empty()) machine_records::fail_unreadable(state_name());
    seen.restore_uids.push_back(uid);
  }
  if (!in.eof()) machine_records::fail_unreadable(state_name());
  return true;
}

// "<archive id hex>\n".
bool HeadHistory::read_folder(Bytes& archive_id) const {
  std::optional<std::string> text = machine_records::read(folder_name(), 256);
  if (!text) return false;
  if (text->empty() || text->back() != '\n' || !from_hex(text->substr(0, text->size() - 1), archive_id) ||
      archive_id.empty())
    machine_records::fail_unreadable(folder_name());
  return true;
}

void HeadHistory::write_state(const HeadRow& head, const std::vector<Bytes>& restore_uids) const {
  std::string text = std::to_string(head.seq) + " " + to_hex(head.digest);
  for (const Bytes& uid : restore_uids) text += " " + to_hex(uid);
  machine_records::write(state_name(), text + "\n");
}

// The head, and the folder when it is not remembered with this archive yet.
void HeadHistory::remember(const HistoryCheck& c) {
  write_state(c.head, restore_uids());
  Bytes there;
  if (!read_folder(there) || there != m_key.archive_id)
    machine_records::write(folder_name(), to_hex(m_key.archive_id) + "\n");
}

bool HeadHistory::signature_ok(const Bytes& sig, const Bytes& msg) const {
  return sig.size() == crypto_sign_BYTES && m_key.sign_pk.size() == crypto_sign_PUBLICKEYBYTES &&
         crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), m_key.sign_pk.data()) == 0;
}

// Folds the chain from the remembered digest over the rows added since.
bool HeadHistory::continues_from(const SeenHead& seen, const HeadRow& head) const {
  if (head.seq < seen.seq) return false;
  if (head.seq == seen.seq) return head.digest == seen.digest;
  Bytes digest = seen.digest;
  std::int64_t expected = seen.seq + 1;
  bool in_order = true;
  m_index.each_chained(seen.seq, [&](std::int64_t seq, const Bytes& sig) {
    in_order = in_order && seq == expected++;
    digest = chain_digest(digest, seq, sig);
  });
  return in_order && expected == head.seq + 1 && digest == head.digest;
}

// A signed restore row in the archive's chain that gives the remembered head
// up: one that is not in the remembered head's history and names that head,
// or a later one (lost seq above it). The first such row, preferring one that
// names the head exactly.
bool HeadHistory::find_restore(const SeenHead& seen, const HeadRow& head, RestoreRow& out) const {
  bool found = false;
  const auto& table = table_of<RestoreRow>();
  m_index.each<RestoreRow>(
      [&](const RestoreRow& r) {
        bool exact = r.lost_seq == seen.seq && r.lost_digest == seen.digest;
        bool seen_before = std::find(seen.restore_uids.begin(), seen.restore_uids.end(), r.uid) != seen.restore_uids.end();
        bool gives_up = !seen_before && (exact || r.lost_seq > seen.seq);
        if (!gives_up || !signature_ok(r.sig, table.signing_bytes(r, m_key.archive_id))) return;
        bool better = !found || (exact && !(out.lost_seq == seen.seq && out.lost_digest == seen.digest));
        if (better) out = r;
        found = true;
      },
      std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
  if (!found) return false;
  // The row must be part of the signed chain, not planted from elsewhere.
  SeenHead start;
  start.digest = Bytes(32, 0);
  return continues_from(start, head);
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
  c.head = m_index.head();
  c.archive_id = m_key.archive_id;
  if (!signature_ok(c.head.sig, head_message(m_key.archive_id, c.head.seq, c.head.digest))) {
    c.state = HistoryState::head_altered;
    return c;
  }
  if (m_key.archive_id.empty()) return c;  // an archive without an id: nothing to remember it by
  try {
    Bytes there;
    if (read_folder(there) && there != m_key.archive_id) {
      c.state = HistoryState::replaced;
      c.previous_archive = there;
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
  if (!read_state(c.remembered)) {
    c.state = HistoryState::first_seen;
    return c;
  }
  if (continues_from(c.remembered, c.head))
    c.state = HistoryState::continues;
  else if (find_restore(c.remembered, c.head, c.restore))
    c.state = HistoryState::re_anchored;
  else
    c.state = c.head.seq < c.remembered.seq ? HistoryState::rolled_back : HistoryState::forked;
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
  machine_records::write(folder_name(), to_hex(m_key.archive_id) + "\n");
  remember(own);
  return own;
}

std::optional<std::int64_t> HeadHistory::remembered_change() const {
  SeenHead seen;
  if (!read_state(seen)) return std::nullopt;
  return seen.seq;
}

std::string describe_break(const HistoryCheck& c, const std::string& root) {
  const SeenHead& seen = c.remembered;
  switch (c.state) {
    case HistoryState::rolled_back:
      return "archive " + root + " was rolled back: this machine last saw " + change(seen.seq, seen.digest) +
             ", the archive's head is change " + std::to_string(c.head.seq);
    case HistoryState::forked:
      return "archive " + root + " has been forked or replaced: " + change(seen.seq, seen.digest) +
             " that this machine saw is not in its history (its head is change " + std::to_string(c.head.seq) + ")";
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
// from a backup: lost_seq is at least the row's own change) or one beside it
// on another branch (a fork that was kept: lost_seq is below it).
bool gave_up_a_fork(const RestoreRow& r) { return r.lost_seq < r.seq; }

std::string what_was_accepted(const RestoreRow& r) {
  return gave_up_a_fork(r) ? "a forked copy of the archive was kept" : "the archive was restored from a backup";
}

std::string earlier_ones_given_up(const RestoreRow& r) {
  return gave_up_a_fork(r) ? "only the other copy held" : "the backup did not hold";
}

}  // namespace

std::string describe_restore(const RestoreRow& r) {
  return "restore row " + std::to_string(r.id) + " (change " + std::to_string(r.seq) + "): on " + format_time(r.at) +
         " " + what_was_accepted(r) + "; " + change(r.lost_seq, r.lost_digest) + " and the changes before it that " +
         earlier_ones_given_up(r) + " were given up";
}

// Which of the changes this machine saw the archive does not hold: from the
// restore row's change on the archive holds others; a machine that followed
// another abandoned branch may have seen more below it, which only the
// remembered head's own number tells.
std::string describe_re_anchor(const HistoryCheck& c, const std::string& root) {
  const SeenHead& seen = c.remembered;
  const std::int64_t first_other = c.restore.seq;
  std::string missing;
  if (seen.seq == first_other)
    missing = "change " + std::to_string(seen.seq) +
              " that it saw (and any earlier ones " + earlier_ones_given_up(c.restore) + ") is not in this archive";
  else if (seen.seq > first_other)
    missing = "changes " + std::to_string(first_other) + " to " + std::to_string(seen.seq) +
              " that it saw (and any earlier ones " + earlier_ones_given_up(c.restore) + ") are not in this archive";
  else
    missing = "that change (and any earlier ones on its branch) is not in this archive, whose change " +
              std::to_string(seen.seq) + " is another";
  const std::string accepted = gave_up_a_fork(c.restore) ? " was kept as the copy to follow after a fork, on "
                                                           : " was restored from a backup on ";
  return "archive " + root + accepted + format_time(c.restore.at) + " (restore row " + std::to_string(c.restore.id) +
         ", change " + std::to_string(c.restore.seq) + "), giving up " +
         change(c.restore.lost_seq, c.restore.lost_digest) + " and the changes before it that " +
         earlier_ones_given_up(c.restore) + ". This machine saw changes up to " +
         change(seen.seq, seen.digest) + ": " + missing + "; re-anchored at change " + std::to_string(c.head.seq);
}

}  // namespace kaappi
