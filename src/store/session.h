// session.h — an archive opened with its secret key: what every command that
// reads documents or personal data, or writes anything, works with.
//
// A Session knows who is acting (an Actor: today the operating-system user;
// later the unlock agent's or the web view's user) and what time it is (a
// Clock that tests can set). Every change to the index goes through write():
// it opens the transaction, runs the caller's inserts, signs and commits, and
// remembers the new head on this machine — one path for every writer. Not
// thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "base/clock.h"
#include "store/archive.h"

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
};

class Session {
 public:
  Session(const std::string& root, Access access, const UnlockOptions& options,
          SchemaPolicy policy = SchemaPolicy::enforce);
  Archive& archive() { return m_archive; }
  Index& index() { return m_archive.index(); }
  const UnlockedKey& key() const { return m_key; }
  const FieldCipher& cipher() const { return *m_cipher; }
  const KeyFile& key_file() const { return m_key_file; }
  const Actor& actor() const { return m_actor; }
  // Seconds since the epoch, from the session's clock.
  std::int64_t now() const { return m_clock->now(); }

  // Runs `body(writer)` in one signed index transaction, commits it and
  // remembers the new head; returns what body returns. If body throws,
  // nothing is written.
  template <typename Body>
  std::invoke_result_t<Body&, Index::Writer&> write(Body&& body) {
    using Result = std::invoke_result_t<Body&, Index::Writer&>;
    Index::Writer writer(index(), m_key.sign_sk);
    if constexpr (std::is_void_v<Result>) {
      body(writer);
      finish(writer);
    } else {
      Result result = body(writer);
      finish(writer);
      return result;
    }
  }

 private:
  void finish(Index::Writer& writer);
  Archive m_archive;
  KeyFile m_key_file;
  UnlockedKey m_key;
  std::unique_ptr<FieldCipher> m_cipher;
  Actor m_actor;
  const Clock* m_clock;
};

}  // namespace kaappi
