// archive_fixture.cpp — see archive_fixture.h.
#include "support/archive_fixture.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "base/bytes.h"
#include "base/error.h"
#include "base/file_io.h"

namespace kaappi::test {
namespace {

constexpr const char* k_example_passphrase = "kaappi-example-passphrase\n";

std::string make_temp_dir() {
  char pattern[] = "/tmp/kaappi-fixture-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) fail_errno("cannot make a temp folder for the fixture");
  return pattern;
}

}  // namespace

ArchiveFixture::ArchiveFixture() : m_dir(make_temp_dir()) {
  m_root = m_dir + "/archive";
  m_key = m_dir + "/example.key";
  m_passphrase = m_dir + "/passphrase";
  write_file_atomic(m_key, read_file(KAAPPI_SOURCE_DIR "/keys.example", 1 << 20), 0600, Overwrite::no, "fixture");
  write_file_atomic(m_passphrase, as_bytes(k_example_passphrase), 0600, Overwrite::no, "fixture");
  // Remembered heads go to the fixture's own state folder.
  ::setenv("XDG_STATE_HOME", (m_dir + "/state").c_str(), 1);
  UnlockOptions options;
  options.key_path = m_key;
  options.passphrase.file = m_passphrase;
  KeyFile key_file = KeyFile::load(m_key);
  UnlockedKey key = key_file.unlock(read_passphrase(options.passphrase, "", Confirm::no));
  Archive::create(m_root, key);
  reopen();
}

ArchiveFixture::~ArchiveFixture() {
  m_session.reset();
  std::error_code ignored;
  std::filesystem::remove_all(m_dir, ignored);
}

UnlockOptions ArchiveFixture::unlock_options() const {
  UnlockOptions options;
  options.key_path = m_key;
  options.passphrase.file = m_passphrase;
  options.actor = Actor{k_actor};
  options.clock = &m_clock;
  return options;
}

void ArchiveFixture::close() { m_session.reset(); }

void ArchiveFixture::reopen(Access access) {
  m_session.reset();
  m_session = std::make_unique<Session>(m_root, access, unlock_options());
}

Customer ArchiveFixture::add_customer(const std::string& number, const std::string& name) {
  CustomerRecord record;
  record.set("number", number);
  record.set("name", name);
  return kaappi::add_customer(*m_session, record);
}

DocumentRow stand_in_document(Session& session, std::int64_t customer_id, const std::string& kind) {
  return session.write([&](Index::Writer& w) {
    DocumentRow d;
    d.uid = random_bytes(16);
    d.blob_uid = d.uid;
    d.customer_id = customer_id;
    d.kind = kind;
    d.pages = 1;
    d.plain_size = 100;
    d.blob_size = 200;
    d.blob_hash = random_bytes(32);
    d.sealed_key = random_bytes(80);
    d.content_tag = random_bytes(32);
    d.meta = random_bytes(96);
    d.imported_at = session.now();
    w.insert_document(d);
    return d;
  });
}

}  // namespace kaappi::test
