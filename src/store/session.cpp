// session.cpp — see session.h.
#include "store/session.h"

#include "base/peak_memory.h"
#include "base/timing_report.h"
#include "keys/passphrase_tries.h"

namespace kaappi {

Actor Actor::os_user() { return Actor{current_user()}; }

Session::Session(const std::string& root, Access access, const UnlockOptions& options, SchemaPolicy policy)
    : Session(root, access, options, policy, HistoryRule::must_continue) {}

Session::Session(const std::string& root, Access access, const UnlockOptions& options, SchemaPolicy policy,
                 HistoryRule rule)
    : m_rule(rule),
      m_archive(root, access, policy, options.observer ? *options.observer : silent_observer()),
      m_key_file(KeyFile::load(options.key_path.empty() ? default_key_path() : options.key_path)),
      m_actor(options.actor ? *options.actor : Actor::os_user()),
      m_clock(options.clock ? options.clock : &system_clock()) {
  m_archive.check_public_key(m_key_file.box_pk(), m_key_file.sign_pk());
  warn_if_example_key(m_key_file, root, m_archive.observer());
  open_history(access, policy);
  m_key = unlock_with_passphrase(m_key_file, options.passphrase, "Passphrase for " + m_key_file.path());
  if (auto peak = peak_memory::take_report("deriving the key (Argon2id)")) m_archive.observer().notice(*peak);
  timing_report::mark_unlocked();
  m_cipher = std::make_unique<FieldCipher>(m_key.master, m_archive.archive_id());
}

ArchivePublicKey Session::public_key() const {
  return ArchivePublicKey{m_archive.archive_id(), m_key_file.box_pk(), m_key_file.sign_pk()};
}

// Before the passphrase: a write to an archive that does not continue the
// remembered head is refused before anything is asked or done. A read is not
// refused, but warned: a rolled-back archive may show what was lost (a
// withdrawn consent as granted).
void Session::open_history(Access access, SchemaPolicy policy) {
  HeadHistory history(m_archive, public_key());
  if (access == Access::read) {
    if (policy != SchemaPolicy::enforce) return;  // verify reports it
    HistoryCheck c = history.check();
    if (!c.continues())
      m_archive.observer().notice("WARNING: " + describe_break(c, m_archive.root()) +
                                  "; what it shows may lack later changes. Run kaappi verify");
    return;
  }
  if (m_rule == HistoryRule::accepting_restore) {
    m_opened = history.check();
    if (m_opened.state == HistoryState::head_altered) refuse_write(m_opened, m_archive.root());
    if (m_opened.state == HistoryState::first_seen)
      fail(ErrorKind::rejected, "nothing to accept: this machine remembers no head of archive " + m_archive.root() +
                                    "; nothing was changed");
    if (m_opened.continues())
      fail(ErrorKind::rejected, "nothing to accept: archive " + m_archive.root() +
                                    " continues the history this machine saw; nothing was changed");
    return;
  }
  m_opened = history.advance();
  if (!m_opened.continues()) refuse_write(m_opened, m_archive.root());
  if (m_opened.state == HistoryState::re_anchored)
    m_archive.observer().notice(describe_re_anchor(m_opened, m_archive.root()));
}

// Inside the write's transaction: the head it extends must still continue.
void Session::check_history_before_write() {
  if (m_rule == HistoryRule::accepting_restore) return;
  HistoryCheck c = HeadHistory(m_archive, public_key()).check();
  if (!c.continues()) refuse_write(c, m_archive.root());
}

void Session::finish(Index::Writer& writer) {
  writer.commit();
  HeadHistory(m_archive, public_key()).advance();
}

}  // namespace kaappi
