// test_head_history.cpp — the rule of whether an archive continues the head
// a machine remembers (store/head_history.h): rollbacks and forks refuse
// every write and stay caught, the remembered head is never lowered, and a
// signed restore row re-anchors the machines that saw the abandoned branch,
// but not one that saw the restore row itself. Machines are played with
// separate XDG_STATE_HOME folders; archive copies with folder copies.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "base/error.h"
#include "base/file_io.h"
#include "store/head_history.h"
#include "support/archive_fixture.h"
#include "verify/verifier.h"

using namespace kaappi;
namespace fs = std::filesystem;

namespace {

// The archive folder copied to (or back from) dir/name, the session closed.
void save(test::ArchiveFixture& fx, const std::string& name) {
  fx.close();
  fs::copy(fx.root(), fx.dir() + "/" + name, fs::copy_options::recursive);
}
void put_back(test::ArchiveFixture& fx, const std::string& name) {
  fx.close();
  fs::remove_all(fx.root());
  fs::copy(fx.dir() + "/" + name, fx.root(), fs::copy_options::recursive);
}

// Plays another machine: its own state folder while it lives.
struct Machine {
  std::string previous;
  Machine(const test::ArchiveFixture& fx, const std::string& name) {
    previous = std::getenv("XDG_STATE_HOME");
    ::setenv("XDG_STATE_HOME", (fx.dir() + "/state-" + name).c_str(), 1);
  }
  ~Machine() { ::setenv("XDG_STATE_HOME", previous.c_str(), 1); }
};

HistoryCheck check(const test::ArchiveFixture& fx) {
  Archive archive(fx.root(), Access::read);
  return HeadHistory(archive, archive.public_key()).check();
}
HistoryCheck advance(const test::ArchiveFixture& fx) {
  Archive archive(fx.root(), Access::read);
  return HeadHistory(archive, archive.public_key()).advance();
}

std::string index_bytes(const test::ArchiveFixture& fx) {
  std::string out;
  for (const char* name : {"/index.sqlite", "/index.sqlite-wal"}) {
    std::string path = fx.root() + name;
    if (!path_exists(path)) continue;
    Bytes b = read_file(path, 1 << 26);
    out.append(b.begin(), b.end());
  }
  return out;
}

std::string error_of(const std::function<void()>& f, ErrorKind kind) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == kind);
    return e.what();
  }
  FAIL("no error");
  return "";
}

VerifyReport verify(test::ArchiveFixture& fx) {
  Archive archive(fx.root(), Access::read);
  VerifyOptions quiet;
  quiet.quiet = true;
  return verify_archive(archive, archive.public_key(), nullptr, quiet);
}

bool has_problem(const VerifyReport& r, const std::string& what) {
  for (const auto& p : r.problems)
    if (p.problem == what) return true;
  return false;
}

}  // namespace

TEST_CASE("a rolled-back archive refuses every write and stays caught, the remembered head is never lowered",
          "[history]") {
  test::ArchiveFixture fx;
  fx.add_customer("1001", "Oy Esimerkki Ab");
  save(fx, "backup");
  fx.reopen();
  fx.add_customer("1002", "Toinen Oy");
  TransactionRow seen = fx.session().index().head();
  put_back(fx, "backup");

  std::string before = index_bytes(fx);
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string message = error_of([&] { fx.reopen(); }, ErrorKind::corrupt);
    CHECK_THAT(message, Catch::Contains("was rolled back: this machine last saw change " + std::to_string(seen.tx) +
                                        " (digest " + to_hex(seen.digest).substr(0, 8)));
    CHECK_THAT(message, Catch::Contains("the archive's head is change " + std::to_string(seen.tx - 1)));
    CHECK_THAT(message, Catch::Contains("nothing was changed"));
    CHECK_THAT(message, Catch::Contains("kaappi accept-restore"));
    // Verify and a read do not lower what this machine remembers.
    CHECK(has_problem(verify(fx), "archive rolled back"));
    HistoryCheck c = advance(fx);
    CHECK(c.state == HistoryState::rolled_back);
    CHECK(c.remembered.tx == seen.tx);
    CHECK(c.remembered.digest == seen.digest);
  }
  CHECK(index_bytes(fx) == before);
}

TEST_CASE("a write checks again, inside its transaction, that the archive continues the remembered head",
          "[history]") {
  test::ArchiveFixture fx;
  fx.add_customer("1001", "Oy Esimerkki Ab");
  TransactionRow opened_at = fx.session().index().head();
  // While the session is open, a copy of the archive moves on on this
  // machine, so what the session would extend is now a rolled-back head.
  std::string copy = fx.dir() + "/copy";
  fs::copy(fx.root(), copy, fs::copy_options::recursive);
  {
    Session other(copy, Access::write, fx.unlock_options());
    CustomerRecord record;
    record.set("number", "1002");
    record.set("name", "Toinen Oy");
    add_customer(other, record);
  }
  std::string before = index_bytes(fx);
  StationRow station;
  station.uid = random_bytes(16);
  station.name = random_bytes(40);
  station.sign_pk = random_bytes(32);
  CHECK_THAT(error_of([&] { fx.session().write([&](Index::Writer& w) { w.insert_station(station); }); },
                      ErrorKind::corrupt),
             Catch::Contains("was rolled back"));
  CHECK(fx.session().index().head().tx == opened_at.tx);
  CHECK(fx.session().index().stations().empty());
  CHECK(index_bytes(fx) == before);  // (closing would checkpoint the WAL: same rows, other bytes)
}

TEST_CASE("a copy that branched off and then got more writes than the lost branch is caught", "[history]") {
  test::ArchiveFixture fx;
  fx.add_customer("1001", "Oy Esimerkki Ab");
  save(fx, "backup");
  fx.reopen();
  fx.add_customer("1002", "Menetetty Oy");  // the lost branch: one write
  TransactionRow lost = fx.session().index().head();
  put_back(fx, "backup");
  {
    Machine office(fx, "office");
    fx.reopen();  // the office has not seen the archive before
    for (const char* number : {"2001", "2002", "2003"}) fx.add_customer(number, "Haara Oy");
    fx.close();
  }
  HistoryCheck c = check(fx);
  CHECK(c.head.tx > lost.tx);
  CHECK(c.state == HistoryState::forked);
  std::string message = error_of([&] { fx.reopen(); }, ErrorKind::corrupt);
  CHECK_THAT(message, Catch::Contains("has been forked or replaced: change " + std::to_string(lost.tx)));
  CHECK(has_problem(verify(fx), "archive forked"));
  CHECK(advance(fx).remembered.digest == lost.digest);
}

TEST_CASE("accept-restore records the lost head, machines on the abandoned branch re-anchor, others stay failing",
          "[history]") {
  test::ArchiveFixture fx;
  fx.add_customer("1001", "Oy Esimerkki Ab");
  save(fx, "backup");
  fx.reopen();
  fx.add_customer("1002", "Menetetty Oy");
  fx.close();
  {
    Machine earlier(fx, "earlier");  // saw a head on the abandoned branch before the lost one
    CHECK(advance(fx).state == HistoryState::first_seen);
  }
  fx.reopen();
  fx.add_customer("1003", "Menetetty Kaksi Oy");
  TransactionRow lost = fx.session().index().head();
  fx.close();
  {
    Machine verifier(fx, "verifier");  // saw the lost head itself
    CHECK(advance(fx).state == HistoryState::first_seen);
  }
  save(fx, "abandoned");
  put_back(fx, "backup");

  // Accepting needs a reason, and is only for an archive that does not continue.
  CHECK_THAT(error_of([&] { Session::accept_restore(fx.root(), fx.unlock_options(), " "); }, ErrorKind::usage),
             Catch::Contains("reason"));
  fx.clock().set(1772539200);  // 2026-03-03 12:00 UTC
  Session::AcceptedRestore accepted = Session::accept_restore(fx.root(), fx.unlock_options(), "disk failed");
  CHECK(accepted.was == HistoryState::rolled_back);
  CHECK(accepted.row.lost_tx == lost.tx);
  CHECK(accepted.row.lost_digest == lost.digest);
  CHECK(check(fx).state == HistoryState::continues);
  std::string head_after = index_bytes(fx);
  CHECK_THAT(error_of([&] { Session::accept_restore(fx.root(), fx.unlock_options(), "again"); }, ErrorKind::rejected),
             Catch::Contains("nothing to accept"));
  CHECK(index_bytes(fx) == head_after);
  fx.reopen();
  fx.add_customer("1004", "Uusi Oy");  // writes work again
  fx.close();

  for (const char* name : {"verifier", "earlier"}) {
    Machine m(fx, name);
    HistoryCheck c = advance(fx);
    CHECK(c.state == HistoryState::re_anchored);
    CHECK(c.restore.id == accepted.row.id);
    std::string said = describe_re_anchor(c, fx.root());
    CHECK_THAT(said, Catch::Contains("was restored from a backup on 2026-03-0"));
    CHECK_THAT(said, Catch::Contains("(restore row 1, change "));
    CHECK_THAT(said, Catch::Contains("re-anchored at change " + std::to_string(c.head.tx)));
    CHECK(check(fx).state == HistoryState::continues);  // remembered now
  }

  // A machine that saw the abandoned branch go on past the lost head is not covered.
  {
    Machine beyond(fx, "beyond");
    save(fx, "current");
    put_back(fx, "abandoned");
    CHECK(advance(fx).state == HistoryState::first_seen);
    fx.reopen();
    fx.add_customer("3001", "Karkuri Oy");
    fx.close();
    put_back(fx, "current");
    HistoryCheck c = check(fx);
    CHECK(c.state == HistoryState::rolled_back);  // it saw change 6; the archive is at 4
    CHECK(c.remembered.tx > accepted.row.lost_tx);
    CHECK_THAT(error_of([&] { fx.reopen(); }, ErrorKind::corrupt), Catch::Contains("was rolled back"));
  }

  VerifyReport r = verify(fx);
  CHECK(r.ok());
  REQUIRE(r.notes.size() == 1);
  CHECK_THAT(r.notes[0], Catch::Contains("restore row 1 (change " + std::to_string(accepted.head_tx) + "): on 2026-03-0"));
  CHECK_THAT(r.notes[0], Catch::Contains("change " + std::to_string(lost.tx) + " (digest " +
                                         to_hex(lost.digest).substr(0, 8)));
}

TEST_CASE("a restore row already in the remembered history does not excuse a later rollback", "[history]") {
  test::ArchiveFixture fx;
  fx.add_customer("1001", "Oy Esimerkki Ab");
  save(fx, "backup");
  fx.reopen();
  for (const char* number : {"1002", "1003", "1004"}) fx.add_customer(number, "Menetetty Oy");
  put_back(fx, "backup");
  Session::AcceptedRestore accepted = Session::accept_restore(fx.root(), fx.unlock_options(), "disk failed");
  save(fx, "just-restored");
  fx.reopen();
  fx.add_customer("1005", "Uusi Oy");  // still below the lost head's change number
  TransactionRow seen = fx.session().index().head();
  REQUIRE(seen.tx < accepted.row.lost_tx);
  put_back(fx, "just-restored");

  HistoryCheck c = check(fx);
  CHECK(c.state == HistoryState::rolled_back);
  CHECK_THAT(error_of([&] { fx.reopen(); }, ErrorKind::corrupt), Catch::Contains("was rolled back"));
}
