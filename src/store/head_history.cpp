// head_history.cpp — see head_history.h.
#include "store/head_history.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "base/dates.h"
#include "base/error.h"
#include "base/file_io.h"

namespace kaappi {
namespace {

std::string state_dir() {
  const char* xdg = std::getenv("XDG_STATE_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/kaappi";
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  return std::string(home) + "/.local/state/kaappi";
}

// "change 57 (digest abcd1234…)"
std::string change(std::int64_t seq, const Bytes& digest) {
  return "change " + std::to_string(seq) + " (digest " + to_hex(digest).substr(0, 8) + "…)";
}

}  // namespace

HeadHistory::HeadHistory(Archive& archive, ArchivePublicKey key) : m_archive(archive), m_key(std::move(key)) {}

std::string HeadHistory::state_path() const {
  std::string dir = state_dir();
  if (dir.empty() || m_key.archive_id.empty()) return "";
  return dir + "/" + to_hex(m_key.archive_id) + ".head";
}

// "<seq> <digest hex>[ <restore uid hex> ...]\n".
bool HeadHistory::read_state(SeenHead& seen) const {
  std::string path = state_path();
  if (path.empty() || !path_exists(path)) return false;
  Bytes data = read_file(path, 256);
  std::istringstream in(std::string(data.begin(), data.end()));
  std::string hex;
  in >> seen.seq >> hex;
  if (!in || seen.seq < 1 || !from_hex(hex, seen.digest) || seen.digest.size() != 32)
    fail(ErrorKind::corrupt, "the head this machine remembers for archive " + m_archive.root() + " (" + path +
                                 ") cannot be read; move it away only if you trust the archive");
  Bytes uid;
  while (in >> hex) {
    if (!from_hex(hex, uid)) fail(ErrorKind::corrupt, "the head this machine remembers (" + path + ") cannot be read");
    seen.restore_uids.push_back(uid);
  }
  return true;
}

void HeadHistory::write_state(const HeadRow& head, const std::vector<Bytes>& restore_uids) const {
  std::string path = state_path();
  if (path.empty()) return;
  try {
    make_dirs(parent_dir(path), 0700);
    std::string text = std::to_string(head.seq) + " " + to_hex(head.digest);
    for (const Bytes& uid : restore_uids) text += " " + to_hex(uid);
    text += "\n";
    write_file_atomic(path, as_bytes(text), 0600, Overwrite::yes, "state");
  } catch (const Error&) {
    // Best effort, as ever: the archive itself is consistent.
  }
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
  m_archive.index().each_chained(seen.seq, [&](std::int64_t seq, const Bytes& sig) {
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
  m_archive.index().each<RestoreRow>(
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
  m_archive.index().each<RestoreRow>([&](const RestoreRow& r) { uids.push_back(r.uid); },
                                     std::numeric_limits<std::int64_t>::min(),
                                     std::numeric_limits<std::int64_t>::max());
  return uids;
}

HistoryCheck HeadHistory::check() const {
  HistoryCheck c;
  c.head = m_archive.index().head();
  if (!signature_ok(c.head.sig, head_message(m_key.archive_id, c.head.seq, c.head.digest))) {
    c.state = HistoryState::head_altered;
    return c;
  }
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

HistoryCheck HeadHistory::advance() {
  HistoryCheck c = check();
  if (c.continues()) write_state(c.head, restore_uids());
  return c;
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
    case HistoryState::first_seen:
    case HistoryState::continues:
    case HistoryState::re_anchored:
      break;
  }
  return "archive " + root + " continues the history this machine saw";
}

void refuse_write(const HistoryCheck& c, const std::string& root) {
  if (c.state == HistoryState::head_altered)
    fail(ErrorKind::corrupt, describe_break(c, root) + "; nothing was changed; run kaappi verify");
  fail(ErrorKind::corrupt, describe_break(c, root) +
                               "; nothing was changed. Run kaappi verify; if you restored the archive from a backup "
                               "on purpose, run kaappi accept-restore " +
                               Field{"reason"} + " TEXT");
}

std::string describe_restore(const RestoreRow& r) {
  return "restore row " + std::to_string(r.id) + " (change " + std::to_string(r.seq) + "): on " + format_time(r.at) +
         " the archive was restored from a backup; " + change(r.lost_seq, r.lost_digest) +
         " and the changes before it that the backup did not hold were given up";
}

std::string describe_re_anchor(const HistoryCheck& c, const std::string& root) {
  return "archive " + root + " was restored from a backup on " + format_time(c.restore.at) + " (restore row " +
         std::to_string(c.restore.id) + "): the changes up to change " + std::to_string(c.restore.lost_seq) +
         " that are not in the backup were given up, " + change(c.remembered.seq, c.remembered.digest) +
         " that this machine saw among them; re-anchored at change " + std::to_string(c.head.seq);
}

}  // namespace kaappi
