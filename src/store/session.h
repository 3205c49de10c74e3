// session.h — an archive opened with its secret key: what every command that
// reads documents or personal data, or writes anything, works with.
//
// A Session knows who is acting (an Actor: today the operating-system user;
// later the unlock agent's or the web view's user) and what time it is (a
// Clock that tests can set). Every change to the index goes through write():
// it opens the transaction, checks that the archive continues the head this
// machine remembers (head_history.h), runs the caller's inserts, signs and
// commits, and remembers the new head — one path for every writer. A session
// opened for writing checks the head already when it opens, before the
// passphrase is asked for or any work is done; one opened for reading warns
// (a notice) when the archive does not continue it. When the new head cannot
// be remembered after a commit, write() throws ErrorKind::partial saying that
// the change was saved and what that means. Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "base/clock.h"
#include "keys/index_keys.h"
#include "store/archive.h"
#include "store/head_history.h"

namespace kaappi {

// Who records a change (stored with versions, consent events, imports, reads).
struct Actor {
  std::string name;
  static Actor os_user();  // the operating-system user running kaappi
};

struct UnlockOptions {
  std::string key_path;           // empty: default_key_path()
  PassphraseSource passphrase;
  Observer* observer = nullptr;   // notices and progress; null: reported nowhere
  std::optional<Actor> actor;     // empty: Actor::os_user()
  const Clock* clock = nullptr;   // null: system_clock()
  // Where the key may already be unlocked (the unlock agent), asked before
  // the passphrase; null: only the passphrase.
  UnlockedKeySource* unlocked_elsewhere = nullptr;
};

class Session {
 public:
  Session(const std::string& root, Access access, const UnlockOptions& options,
          SchemaPolicy policy = SchemaPolicy::enforce);
  Archive& archive() { return m_archive; }
  Index& index() { return m_archive.index(); }
  // The unlocked key's operations: in this process, or the unlock agent's.
  const SecretKeys& secrets() const { return *m_secrets; }
  // The index's keys (keys/index_keys.h says which seals what).
  const IndexKeys& keys() const { return *m_keys; }
  // The sealer of a customer's values; their key is unwrapped from its row
  // the first time (ErrorKind::corrupt when it has none or it does not open,
  // ErrorKind::not_found when it was erased).
  ValueSealer customer_values(std::int64_t customer_id);
  // Whether the customer's key is gone: erased (kaappi erase), or its row
  // missing (verify says which). Nothing sealed under it can be opened.
  // The one test of "erased" for a customer known by id.
  bool customer_erased(std::int64_t customer_id);
  // Unwraps every customer's key at once, half of them on each core: before
  // reading many customers on several threads (only keys already held are
  // read there). Not inside a write (a second connection reads half the rows);
  // once every key is held, it does nothing.
  // With `on_bad`, a key that does not open is reported to it (verify) and
  // the others are still unwrapped; without, it throws. Erased keys are skipped.
  void hold_customer_keys(const std::function<void(std::int64_t customer_id, const Error&)>& on_bad = {});
  // A new customer's key (inside a write, after the customer's row): held,
  // and returned wrapped in its row. Forgotten when the write is rolled back.
  CustomerKeyRow make_customer_key(const CustomerRow& customer);
  // A document's duplicate tag under its customer's tag key (0: unassigned).
  Bytes content_tag(std::int64_t customer_id, ByteView content_hash);
  // A document's key (opened from its sealed_key) and the sealer of its metadata.
  SecretBuffer document_key(const DocumentRow& row) const;
  ValueSealer document_values(const DocumentRow& row) const;
  // The sealer of a read's reason: its customer's key, or without one (none,
  // or erased while a hold keeps the document) the document's metadata key.
  ValueSealer access_values(const AccessRow& access, const DocumentRow& document);
  const KeyFile& key_file() const { return m_key_file; }
  const Actor& actor() const { return m_actor; }
  // Seconds since the epoch, from the session's clock.
  std::int64_t now() const { return m_clock->now(); }

  // Runs `body(writer)` in one signed index transaction, commits it and
  // remembers the new head; returns what body returns. If body throws, or the
  // archive does not continue the remembered head (ErrorKind::corrupt, saying
  // what happened and what to do), nothing is written. If the new head cannot
  // be remembered, or anything else fails after the commit, the change stays
  // saved and ErrorKind::partial says so: write() throws ErrorKind::partial
  // only after a commit, and every other error only when nothing was saved.
  template <typename Body>
  std::invoke_result_t<Body&, Index::Writer&> write(Body&& body) {
    using Result = std::invoke_result_t<Body&, Index::Writer&>;
    Index::Writer writer(index(), *m_secrets, now());
    if (m_access == Access::log) writer.only_log_rows();
    check_history_before_write();
    struct ForgetUnsavedKeys {  // keys made for rows that were rolled back
      CustomerKeyRing& ring;
      Index::Writer& writer;
      ~ForgetUnsavedKeys() {
        if (writer.committed())
          ring.keep_made();
        else
          ring.drop_made();
      }
    } forget{m_keys->customer_keys(), writer};
    if constexpr (std::is_void_v<Result>) {
      body(writer);
      finish(writer);
    } else {
      Result result = body(writer);
      finish(writer);
      return result;
    }
  }

  // Throws what write() would throw before writing anything, without
  // writing: the archive does not continue the remembered head, or its index
  // does not match its signed head (Index::check_writable). For a command
  // that changes files outside the index before its first write (ingest sets
  // refused envelopes aside), so that a refused write leaves those as they were too.
  void check_writable();

  // The key holder's acknowledgement of a deliberate restore from a backup
  // (kaappi accept-restore), only when the archive does not continue the
  // head this machine remembers: one signed restore row naming that head as
  // lost, with when, who and `reason` (sealed), and this machine re-anchors.
  // Throws ErrorKind::rejected when there is nothing to accept.
  struct AcceptedRestore {
    RestoreRow row;
    HistoryState was = HistoryState::rolled_back;  // what the archive was to this machine
    std::int64_t head_tx = 0;                      // the head after the restore row: its transaction
  };
  static AcceptedRestore accept_restore(const std::string& root, const UnlockOptions& options,
                                        const std::string& reason);

  // The key holder's acceptance that the archive folder now holds another
  // archive than the one this machine last saw there (one made with the same
  // key): only when it does, and when that archive continues this machine's
  // own record of it. Nothing is written to the archive; this machine
  // remembers the folder with it (HeadHistory::take_folder). Throws
  // ErrorKind::rejected when there is nothing to accept.
  struct AcceptedArchive {
    Bytes previous_archive, archive_id;
    std::int64_t head_tx = 0;
  };
  static AcceptedArchive accept_other_archive(const std::string& root, const UnlockOptions& options);

 private:
  enum class HistoryRule { must_continue, accepting_restore, accepting_other_archive };
  Session(const std::string& root, Access access, const UnlockOptions& options, SchemaPolicy policy,
          HistoryRule rule);
  ArchivePublicKey public_key() const;
  void open_history(Access access, SchemaPolicy policy);
  void open_history_for_writing(HeadHistory& history);
  void check_history_before_write();
  void finish(Index::Writer& writer);
  HistoryRule m_rule;
  HistoryCheck m_opened;  // the history check when the session opened for writing
  Archive m_archive;
  KeyFile m_key_file;
  UnlockedKey m_key;                     // unlocked here (empty when the agent holds it)
  std::unique_ptr<SecretKeys> m_secrets;  // m_key's, or the agent's
  std::unique_ptr<IndexKeys> m_keys;
  Actor m_actor;
  const Clock* m_clock;
  Access m_access;
  bool m_all_keys_held = false;  // hold_customer_keys() found every key: it need not read them again
};

// kaappi upgrade (Archive::upgrade): the key file of `options` and its
// passphrase only when a step signs, refusing a key of another archive.
UpgradeReport upgrade_archive(const std::string& root, const UnlockOptions& options);

// kaappi recover: rolls back the interrupted imports of `archive` (opened for
// writing) without a key, as a writer's session does when it opens: blobs
// included only when the archive continues the history this machine saw;
// on a rolled-back, forked or replaced archive it refuses (refuse_write),
// nothing changed. Returns what was rolled back (describe_recovery says it).
Archive::Recovery recover_interrupted_imports(Archive& archive);

}  // namespace kaappi
