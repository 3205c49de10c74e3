// session.cpp — see session.h.
#include "store/session.h"

#include <array>
#include <cstdint>
#include <exception>
#include <thread>

#include "base/peak_memory.h"
#include "base/timing_report.h"
#include "format/blob_format.h"
#include "keys/blob_reader.h"
#include "keys/passphrase_tries.h"
#include "store/machine_records.h"
#include "store/parallel_read.h"

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
      m_clock(options.clock ? options.clock : &system_clock()),
      m_access(access) {
  m_archive.check_public_key(m_key_file.box_pk(), m_key_file.sign_pk());
  // What a command that writes reads to decide must be what was signed.
  if (access == Access::write) index().check_reads(m_key_file.sign_pk());
  warn_if_example_key(m_key_file, root, m_archive.observer());
  open_history(access, policy);
  if (access != Access::read) {
    std::string recovered = describe_recovery(m_archive.recover(
        m_rule == HistoryRule::must_continue ? Archive::PendingBlobs::remove : Archive::PendingBlobs::keep));
    if (!recovered.empty()) m_archive.observer().notice(recovered);
  }
  if (options.unlocked_elsewhere) m_secrets = options.unlocked_elsewhere->secret_keys_for(m_key_file);
  if (m_secrets) {
    m_archive.observer().detail(options.unlocked_elsewhere->used_note());
  } else {
    m_key = unlock_with_passphrase(m_key_file, options.passphrase, "Passphrase for " + m_key_file.path());
    if (auto peak = peak_memory::take_report("deriving the key (Argon2id)")) m_archive.observer().notice(*peak);
    m_secrets = std::make_unique<KeyFileSecrets>(m_key);
  }
  timing_report::mark_unlocked();
  m_keys = std::make_unique<IndexKeys>(*m_secrets, m_archive.archive_id());
}

ValueSealer Session::customer_values(std::int64_t customer_id) {
  CustomerKeyRing& ring = m_keys->customer_keys();
  if (!ring.holds(customer_id)) {
    auto customer = index().customer(customer_id);
    auto key = customer ? index().customer_key(customer_id) : std::nullopt;
    if (!key)
      fail(ErrorKind::corrupt, "customer record " + std::to_string(customer_id) + " has no key; run kaappi verify");
    if (key->wrapped.empty())  // NULL: erased (verify checks that an erasure row says so)
      fail(ErrorKind::not_found, "customer " + std::to_string(customer_id) +
                                     "'s key is gone (erased, or removed outside kaappi: kaappi verify tells which), so "
                                     "their values cannot be read");
    ring.unwrap(customer_id, customer->uid, key->wrapped);
  }
  return m_keys->customer(customer_id);
}

bool Session::customer_erased(std::int64_t customer_id) {
  auto key = index().customer_key(customer_id);
  return !key || key->wrapped.empty();
}

void Session::hold_customer_keys(const std::function<void(std::int64_t customer_id, const Error&)>& on_bad) {
  if (m_all_keys_held) return;  // keys made since are held as they are made
  CustomerKeyRing& ring = m_keys->customer_keys();
  // Half of the key rows read on each core (only what is public: the
  // wrapped keys), then as many slots taken as there are keys to open, half
  // of them opened on each core, and held here in row order. A key that does
  // not open is unwrapped once more alone, to say why. A row is kept until
  // its key is opened in ~100 bytes; a row whose
  // uid or wrapped key is not of the size kaappi writes is kept apart, in
  // full, and only unwrapped alone (which says what is wrong with it).
  struct Wrapped {
    std::int64_t customer_id;
    std::size_t odd;  // SIZE_MAX, or its place in Part::odd
    std::array<std::uint8_t, k_uid_size> customer_uid;
    std::array<std::uint8_t, k_wrapped_customer_key_size> wrapped;
  };
  struct Part {
    std::vector<Wrapped> keys;
    std::vector<std::pair<Bytes, Bytes>> odd;  // customer uid, wrapped key
  };
  Part parts[2];
  const auto rows = index().id_range<CustomerKeyRow>();
  read_in_two_parts(m_archive, [&](const Index& index, int p) {
    auto [from, to] = half_of(rows.first, rows.second, p);
    Part& part = parts[p];
    index.each_customer_key(
        [&](const CustomerKeyRow& row, const Bytes& customer_uid) {
          if (row.wrapped.empty() || ring.holds(row.customer_id)) return;  // erased: nothing to hold
          Wrapped w{row.customer_id, SIZE_MAX, {}, {}};
          if (customer_uid.size() == w.customer_uid.size() && row.wrapped.size() == w.wrapped.size()) {
            std::copy(customer_uid.begin(), customer_uid.end(), w.customer_uid.begin());
            std::copy(row.wrapped.begin(), row.wrapped.end(), w.wrapped.begin());
          } else {
            w.odd = part.odd.size();
            part.odd.emplace_back(customer_uid, row.wrapped);
          }
          part.keys.push_back(w);
        },
        from, to);
  });
  // Row i of both parts, one after the other (not copied into one vector).
  const std::size_t first_count = parts[0].keys.size(), count = first_count + parts[1].keys.size();
  auto part_of = [&](std::size_t i) -> Part& { return parts[i < first_count ? 0 : 1]; };
  auto key_at = [&](std::size_t i) -> const Wrapped& {
    return i < first_count ? parts[0].keys[i] : parts[1].keys[i - first_count];
  };
  const std::size_t first_slot = ring.take_slots(count);
  std::vector<char> opened(count, 0);
  auto open_range = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i)
      if (const Wrapped& k = key_at(i); k.odd == SIZE_MAX)
        opened[i] = ring.open_into_slot(first_slot + i, k.customer_uid, k.wrapped) ? 1 : 0;
  };
  std::exception_ptr second_failed;
  std::thread second([&] {
    try {
      open_range(count / 2, count);
    } catch (...) {
      second_failed = std::current_exception();
    }
  });
  try {
    open_range(0, count / 2);
  } catch (...) {
    second.join();
    throw;
  }
  second.join();
  if (second_failed) std::rethrow_exception(second_failed);
  bool all = true;
  for (std::size_t i = 0; i < count; ++i) {
    const Wrapped& k = key_at(i);
    if (opened[i]) {
      ring.hold_slot(k.customer_id, first_slot + i);
      continue;
    }
    try {  // nothing when a row before held a key
      if (k.odd == SIZE_MAX) {
        ring.unwrap(k.customer_id, k.customer_uid, k.wrapped);
      } else {
        const auto& [customer_uid, wrapped] = part_of(i).odd[k.odd];
        ring.unwrap(k.customer_id, customer_uid, wrapped);
      }
    } catch (const Error& e) {
      if (!on_bad || e.kind() != ErrorKind::corrupt) throw;
      all = false;
      on_bad(k.customer_id, e);
    }
  }
  m_all_keys_held = all;
}

CustomerKeyRow Session::make_customer_key(const CustomerRow& customer) {
  CustomerKeyRow row;
  row.customer_id = customer.id;
  row.wrapped = m_keys->customer_keys().make(customer.id, customer.uid);
  return row;
}

Bytes Session::content_tag(std::int64_t customer_id, ByteView content_hash) {
  if (customer_id != 0) customer_values(customer_id);  // holds the key
  return m_keys->content_tag(customer_id, content_hash);
}

SecretBuffer Session::document_key(const DocumentRow& row) const {
  if (row.erased())
    fail(ErrorKind::not_found, "document " + std::to_string(row.id) +
                                   "'s key is gone (erased, or removed outside kaappi: kaappi verify tells which), so it "
                                   "can no longer be read");
  return open_document_key(*m_secrets, row.sealed_key);
}

ValueSealer Session::document_values(const DocumentRow& row) const { return m_keys->document(document_key(row)); }

ValueSealer Session::access_values(const AccessRow& access, const DocumentRow& document) {
  if (access.customer_id != 0) {
    try {
      return customer_values(access.customer_id);
    } catch (const Error& e) {
      // Erased: a document a retention hold kept has its reads sealed under its own key.
      if (e.kind() != ErrorKind::not_found) throw;
    }
  }
  return document_values(document);
}

ArchivePublicKey Session::public_key() const {
  return ArchivePublicKey{m_archive.archive_id(), m_key_file.box_pk(), m_key_file.sign_pk()};
}

// Before the passphrase: a write to an archive that does not continue the
// remembered head (or whose folder held another archive, or when this
// machine's records cannot be used or written) is refused before anything is
// asked or done. A read is not refused, but warned: a rolled-back archive may
// show what was lost (a withdrawn consent as granted).
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
  try {
    machine_records::check_writable();
    open_history_for_writing(history);
  } catch (const StateUnusable& e) {
    fail(ErrorKind::rejected, std::string(e.what()) + "; nothing was changed");
  }
}

void Session::open_history_for_writing(HeadHistory& history) {
  const std::string& root = m_archive.root();
  if (m_rule == HistoryRule::must_continue) {
    m_opened = history.advance();
    if (!m_opened.continues()) refuse_write(m_opened, root);
    // A write would be refused: so is the command, before anything is asked or done.
    index().refuse_write_unless_head_holds(m_opened.head);
    if (m_opened.state == HistoryState::re_anchored) m_archive.observer().notice(describe_re_anchor(m_opened, root));
    return;
  }
  m_opened = history.check();
  HistoryState s = m_opened.state;
  if (s == HistoryState::head_altered || s == HistoryState::unusable) refuse_write(m_opened, root);
  index().refuse_write_unless_head_holds(m_opened.head);
  if (m_rule == HistoryRule::accepting_other_archive) {
    if (s != HistoryState::replaced)
      fail(ErrorKind::rejected, "nothing to accept: archive folder " + root +
                                    " holds the archive this machine last saw there (or none it remembers); "
                                    "nothing was changed");
    HistoryCheck own = history.check_head();
    if (!own.continues()) refuse_write(own, root);
    return;
  }
  if (s == HistoryState::replaced) refuse_write(m_opened, root);
  if (s == HistoryState::first_seen)
    fail(ErrorKind::rejected, "nothing to accept: this machine remembers no head of archive " + root +
                                  "; nothing was changed");
  if (m_opened.continues())
    fail(ErrorKind::rejected, "nothing to accept: archive " + root +
                                  " continues the history this machine saw; nothing was changed");
}

void Session::check_writable() {
  index().check_writable();
  check_history_before_write();
}

// Inside the write's transaction: the head it extends must still continue.
void Session::check_history_before_write() {
  if (m_rule == HistoryRule::accepting_restore) return;
  HeadHistory(m_archive, public_key()).check_before_write();
}

// After the commit the change is saved whatever happens to the record of it.
// The message says what the record names after the failed write, as read
// back: a write can fail after its rename (the folder's sync), when the
// record already names the new head.
void Session::finish(Index::Writer& writer) {
  try {
    writer.commit();
  } catch (const Error& e) {
    if (!writer.committed()) throw;  // nothing was saved
    fail(ErrorKind::partial, "the change was saved in archive " + m_archive.root() + ", but what follows it failed: " +
                                 e.what() + "; run kaappi verify");
  }
  std::int64_t saved = m_archive.index().head().tx;
  try {
    HeadHistory(m_archive, public_key()).advance();
  } catch (const StateUnusable& e) {
    const std::string done = "the change was saved in archive " + m_archive.root() + " (its head is now change " +
                             std::to_string(saved) + "), but ";
    const std::string then = "; once that is fixed, run kaappi verify: it records the head";
    std::optional<std::int64_t> names;
    try {
      names = HeadHistory(m_archive, public_key()).remembered_change();
    } catch (const StateUnusable& unreadable) {
      fail(ErrorKind::partial, done + "this machine's record of the archive's head could not be updated (" + e.what() +
                                   "), and it cannot be read back: " + unreadable.what() + ". Nothing was lost" + then);
    }
    if (names == saved)
      fail(ErrorKind::partial, done + "writing this machine's record of the archive's head did not finish: it names "
                                      "change " + std::to_string(saved) + " now, but may not be safely on disk (" +
                                      e.what() + "). Nothing was lost" + then);
    const std::string before = names ? "change " + std::to_string(*names) : "no change (there is no record)";
    fail(ErrorKind::partial,
         done + "this machine's record of the archive's head was not updated: it still names " + before + ". " +
             e.what() + ". Nothing was lost, and " +
             (names ? "a rollback to before change " + std::to_string(*names) + " is still caught, but not one to a "
                      "later change up to " + std::to_string(saved)
                    : std::string("a rollback is not caught until it is")) +
             then);
  }
}

UpgradeReport upgrade_archive(const std::string& root, const UnlockOptions& options) {
  Observer& observer = options.observer ? *options.observer : silent_observer();
  return Archive::upgrade(
      root,
      [&](const ArchivePublicKey& archive_key) {
        KeyFile file = KeyFile::load(options.key_path.empty() ? default_key_path() : options.key_path);
        if (file.box_pk() != archive_key.box_pk || file.sign_pk() != archive_key.sign_pk)
          fail(ErrorKind::auth, "this key does not open archive " + root + "; nothing was changed");
        warn_if_example_key(file, root, observer);
        return unlock_with_passphrase(file, options.passphrase, "Passphrase for " + file.path());
      },
      observer);
}

Archive::Recovery recover_interrupted_imports(Archive& archive) {
  HeadHistory(archive.index(), archive.root()).check_before_write();
  archive.index().refuse_write_unless_head_holds(archive.index().head());
  return archive.recover(Archive::PendingBlobs::remove);
}

}  // namespace kaappi
