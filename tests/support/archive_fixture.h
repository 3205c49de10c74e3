// archive_fixture.h — an archive in a temp folder, opened in-process with the
// published example key, for tests of domain logic that need no binaries
// (consent rules, customer recognition, the coming form reading).
//
// The session's clock is a ManualClock the test sets and moves, and its
// actor is "fixture" (not the OS user), so recorded times and names are known.
// Each fixture has its own folder (removed at the end) and its own state
// folder for remembered heads, so fixtures never see each other. Not
// thread-safe; one Session at a time.
#pragma once

#include <memory>
#include <string>

#include "register/customers.h"
#include "base/clock.h"
#include "store/session.h"

namespace kaappi::test {

// A clock that stands still until the test moves it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start) : m_now(start) {}
  std::int64_t now() const override { return m_now; }
  void set(std::int64_t seconds) { m_now = seconds; }
  void advance(std::int64_t seconds) { m_now += seconds; }

 private:
  std::int64_t m_now;
};

class ArchiveFixture {
 public:
  ArchiveFixture();
  ~ArchiveFixture();
  ArchiveFixture(const ArchiveFixture&) = delete;
  ArchiveFixture& operator=(const ArchiveFixture&) = delete;

  // The open session (write access unless reopened to read), unlocked with the example key.
  Session& session() { return *m_session; }
  // Starts at 2026-03-01 12:00 UTC.
  ManualClock& clock() { return m_clock; }
  static constexpr const char* k_actor = "fixture";
  const std::string& root() const { return m_root; }
  const std::string& dir() const { return m_dir; }

  // Adds a customer with just a number and a name.
  Customer add_customer(const std::string& number, const std::string& name);

  // Closes and opens the archive again (as the next command would; one that
  // only reads, as verify does, with Access::read).
  void reopen(Access access = Access::write);
  // Closes the session (until reopen()), so the folder can be copied or swapped.
  void close();
  // How the fixture's sessions unlock: its key, passphrase, actor and clock.
  UnlockOptions unlock_options() const;

 private:
  std::string m_dir, m_root, m_key, m_passphrase;
  ManualClock m_clock{1772366400};
  std::unique_ptr<Session> m_session;
};

// A document row as an import writes it, of `customer_id` (0: none), in a
// change of its own; its sealed values are random stand-ins (only their
// hashes matter to the tests that use it) and it has no blob file.
DocumentRow stand_in_document(Session& session, std::int64_t customer_id = 0, const std::string& kind = "other");

}  // namespace kaappi::test
