// session.cpp — see session.h.
#include "store/session.h"

#include "base/peak_memory.h"
#include "base/timing_report.h"
#include "keys/passphrase_tries.h"

namespace kaappi {

Actor Actor::os_user() { return Actor{current_user()}; }

Session::Session(const std::string& root, Access access, const UnlockOptions& options, SchemaPolicy policy)
    : m_archive(root, access, policy, options.observer ? *options.observer : silent_observer()),
      m_key_file(KeyFile::load(options.key_path.empty() ? default_key_path() : options.key_path)),
      m_actor(options.actor ? *options.actor : Actor::os_user()),
      m_clock(options.clock ? options.clock : &system_clock()) {
  m_archive.check_public_key(m_key_file.box_pk(), m_key_file.sign_pk());
  warn_if_example_key(m_key_file, root, m_archive.observer());
  m_key = unlock_with_passphrase(m_key_file, options.passphrase, "Passphrase for " + m_key_file.path());
  if (auto peak = peak_memory::take_report("deriving the key (Argon2id)")) m_archive.observer().notice(*peak);
  timing_report::mark_unlocked();
  m_cipher = std::make_unique<FieldCipher>(m_key.master, m_archive.archive_id());
}

void Session::finish(Index::Writer& writer) {
  writer.commit();
  m_archive.remember_head();
}

}  // namespace kaappi
