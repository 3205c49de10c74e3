// test_verify_causes.cpp — verify names what actually happened, not what
// follows from it: a blob moved to another document's place is that
// document's blob (and the other's is missing), not a truncated or altered
// one; a deleted change is a missing change between its neighbours, not an
// alteration of them; a column is named by its name. Each tampering is what
// someone with a copy of the archive folder could do; the messages are the
// lines the user sees.
#include <cstdio>

#include <catch2/catch.hpp>

#include "harness.h"

using namespace e2e;

namespace {

// Runs verify, keyless and then full; each must find problems and print `lines`
// and none of `never`.
void expect_lines(const Sandbox& s, const std::vector<std::string>& lines, const std::vector<std::string>& never = {}) {
  for (bool full : {false, true}) {
    std::vector<std::string> args = {"verify"};
    if (full) args.push_back("--full");
    Result r = s.kaappi(args);
    INFO((full ? "full:\n" : "keyless:\n") << r.out << r.err);
    CHECK(r.exit_code == 1);
    for (const std::string& line : lines) CHECK(r.out.find(line + "\n") != std::string::npos);
    for (const std::string& part : never) CHECK(r.out.find(part) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("a blob moved to another document's place is named as that document's blob", "[verify][causes]") {
  Sandbox s;
  s.init_archive_with_customer();
  auto ids = s.import({s.make_pdf("one.pdf", {"--pages", "2", "--seed", "31"}),
                       s.make_pdf("two.pdf", {"--pages", "3", "--seed", "32"})});
  const long a = ids.at(0), b = ids.at(1);
  REQUIRE(s.kaappi({"verify", "--full"}).exit_code == 0);
  const std::string a_path = blob_of(s, a), b_path = blob_of(s, b);
  REQUIRE(std::rename(b_path.c_str(), a_path.c_str()) == 0);
  const std::string sa = std::to_string(a), sb = std::to_string(b);
  expect_lines(s,
               {"document " + sa + ": blob swapped — the file in this document's place is document " + sb +
                    "'s blob (its header says so), not its own",
                "document " + sb + ": blob missing — expected at " + b_path +
                    "; a file with its blob's uid is in document " + sa + "'s place"},
               {"blob truncated", "bytes appended", "content hash mismatch", "blob altered"});
}

TEST_CASE("a deleted change is named as missing between its neighbours", "[verify][causes]") {
  Sandbox s;
  s.init_archive_with_customer();
  for (const char* purpose : {"research", "email-marketing", "sms-marketing"})
    REQUIRE(s.kaappi({"consent", "set", "--customer", "1001", "--purpose", purpose, "--state", "granted"}).exit_code == 0);
  REQUIRE(s.kaappi({"verify"}).exit_code == 0);
  // The change that recorded the second event, and the rows it added.
  const std::string seq = sql_value(s, "SELECT seq FROM consent_events ORDER BY id LIMIT 1 OFFSET 1");
  const long k = std::stol(sql_value(s, "SELECT min(tx) FROM transactions WHERE last_seq >= " + seq));
  const long first = std::stol(sql_value(s, "SELECT last_seq + 1 FROM transactions WHERE tx = " + std::to_string(k - 1)));
  const long last = std::stol(sql_value(s, "SELECT last_seq FROM transactions WHERE tx = " + std::to_string(k)));
  REQUIRE(first == last);  // one event, one row
  const std::string missing = "archive: signed transaction deleted — change " + std::to_string(k) +
                              " is missing between change " + std::to_string(k - 1) + " and change " +
                              std::to_string(k + 1);
  const std::vector<std::string> never = {"index rows altered", "does not follow", "consent event altered",
                                          "not numbered"};
  SECTION("its transaction row deleted: its row stays, no longer signed") {
    sql(s, "DELETE FROM transactions WHERE tx = " + std::to_string(k));
    expect_lines(s,
                 {missing + "; its row (sequence number " + std::to_string(first) +
                  ") is still in the index, no longer covered by a signature"},
                 never);
  }
  SECTION("the whole change deleted: its transaction and its row") {
    sql(s, "DELETE FROM transactions WHERE tx = " + std::to_string(k) + "; DELETE FROM consent_events WHERE seq = " + seq);
    expect_lines(s, {missing + ", with its row (sequence number " + std::to_string(first) + ")"},
                 {"index rows altered", "does not follow", "not numbered", "index row deleted"});
  }
}

TEST_CASE("a value verify refuses is named by its column's name", "[verify][causes]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "research", "--state", "granted"}).exit_code == 0);
  const std::string id = sql_value(s, "SELECT min(id) FROM consent_events");
  sql(s, "UPDATE consent_events SET event = NULL WHERE id = " + id);
  expect_lines(s, {"archive: consent event altered — consent event " + id +
                   ": event is empty (NULL) and no erasure names it"},
               {"column 5"});
}
