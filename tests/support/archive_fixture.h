// archive_fixture.h — an archive in a temp folder, opened in-process with the
// published example key, for tests of domain logic that need no binaries
// (consent rules, customer recognition, the coming form reading).
//
// Each fixture has its own folder (removed at the end) and its own state
// folder for remembered heads, so fixtures never see each other. Not
// thread-safe; one Session at a time.
#pragma once

#include <memory>
#include <string>

#include "register/customers.h"
#include "store/archive.h"

namespace kaappi::test {

class ArchiveFixture {
 public:
  ArchiveFixture();
  ~ArchiveFixture();
  ArchiveFixture(const ArchiveFixture&) = delete;
  ArchiveFixture& operator=(const ArchiveFixture&) = delete;

  // The open session (write access), unlocked with the example key.
  Session& session() { return *m_session; }
  const std::string& root() const { return m_root; }
  const std::string& dir() const { return m_dir; }

  // Adds a customer with just a number and a name.
  Customer add_customer(const std::string& number, const std::string& name);

  // Closes and opens the archive again (as the next command would).
  void reopen();

 private:
  std::string m_dir, m_root, m_key, m_passphrase;
  std::unique_ptr<Session> m_session;
};

}  // namespace kaappi::test
