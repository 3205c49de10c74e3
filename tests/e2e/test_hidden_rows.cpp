// test_hidden_rows.cpp — what a command decided on a row it did not find is
// reported by verify (docs/FORMAT.md, "Rows a command decides on";
// verify/decision_check.h). The attacks an outside review showed with the
// real binaries: someone with write access to the folder hides a row from a
// lookup by changing the column it is looked up by, lets the key holder run
// an ordinary command, which then decides that the row is not there, and
// puts the row back. The command cannot notice; verify must name what it
// left.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;
using nlohmann::json;

namespace {

// Keyless verify (the public key only, from outside the folder), verify with
// the key file's public part, and verify --full.
std::vector<Result> verify_keyless(const Sandbox& s) {
  std::string pub = s.kaappi({"key", "public"}).out;
  pub.pop_back();
  return {s.run({bin("kaappi"), "--archive", s.archive(), "verify", "--json", "--public-key", pub}),
          s.kaappi({"verify", "--json"})};
}
Result verify_full(const Sandbox& s) { return s.kaappi({"verify", "--json", "--full"}); }
std::vector<Result> verify_at_every_level(const Sandbox& s) {
  std::vector<Result> all = verify_keyless(s);
  all.push_back(verify_full(s));
  return all;
}

// Whether the report names `problem`, for `document` (0: none named), with a
// detail that starts with `detail`.
bool reports(const Result& r, long document, const std::string& problem, const std::string& detail) {
  const json report = json::parse(r.out);
  return !items_where(report["problems"], [&](const json& p) {
            return (document ? p["document"] == document : p["document"].is_null()) && p["problem"] == problem &&
                   p["detail"].get<std::string>().rfind(detail, 0) == 0;
          }).empty();
}

bool reports_problem(const Result& r, const std::string& problem) {
  const json report = json::parse(r.out);
  return !items_where(report["problems"], "problem", problem).empty();
}

// Every level finds `problem` for `document` (only it: whatever else the
// check may say would hide a mistake).
void check_reported(const std::vector<Result>& results, long document, const std::string& problem,
                    const std::string& detail) {
  for (const Result& r : results) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(reports(r, document, problem, detail));
    CHECK(json::parse(r.out)["problems"].size() == 1);
  }
}

std::string count(const Sandbox& s, const std::string& table) {
  return sql_value(s, "SELECT count(*) FROM " + table);
}



const std::string k_same_content = "documents 1 and 2 both hold the same content for customer 1;";

}  // namespace

TEST_CASE("verify names a document imported again while its twin was hidden from the duplicate check",
          "[verify][decisions]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"}).exit_code == 0);
  const std::string pdf = s.make_pdf("form.pdf", {"--seed", "71"});
  REQUIRE(s.import({pdf}) == std::vector<long>{1});
  const std::vector<std::string> again = {"import", pdf, "--customer", "1001", "--kind", "consent-form"};
  // Unaltered, the same file for the same customer is a duplicate.
  REQUIRE(s.kaappi(again).exit_code == 0);
  REQUIRE(count(s, "documents") == "1");

  std::string hide, put_back;
  SECTION("its duplicate tag changed") {
    const std::string tag = sql_value(s, "SELECT hex(content_tag) FROM documents WHERE id = 1");
    hide = "UPDATE documents SET content_tag = randomblob(32) WHERE id = 1";
    put_back = "UPDATE documents SET content_tag = x'" + tag + "' WHERE id = 1";
  }
  SECTION("its customer changed") {
    hide = "UPDATE documents SET customer_id = 2 WHERE id = 1";
    put_back = "UPDATE documents SET customer_id = 1 WHERE id = 1";
  }
  sql(s, hide);
  kaappi_ok(s, again);
  REQUIRE(count(s, "documents") == "2");
  sql(s, put_back);
  check_reported(verify_at_every_level(s), 2, "document stored twice", k_same_content);
  Result text = s.kaappi({"verify"});
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.out, Catch::Contains("document 2: document stored twice — " + k_same_content) &&
                           Catch::Contains("altered while a command decided (and then put back)"));
}

TEST_CASE("verify names a scan ingested again while its assignment's duplicate tag was hidden",
          "[verify][decisions][ingest]") {
  Sandbox s;
  s.init_archive_with_station();
  const std::string pdf = s.make_pdf("scan.pdf", {"--seed", "72"});
  scan_as_desk(s, pdf);
  kaappi_ok(s, {"ingest", "--kind", "consent-form"});  // names no customer: unassigned
  kaappi_ok(s, {"assign", "1", "--customer", "1001"});
  const std::string tag = sql_value(s, "SELECT hex(content_tag) FROM document_assignments WHERE document_id = 1");
  REQUIRE(tag.size() == 64);

  sql(s, "UPDATE document_assignments SET content_tag = randomblob(32) WHERE document_id = 1");
  scan_as_desk(s, pdf);
  kaappi_ok(s, {"ingest", "--customer", "1001", "--kind", "consent-form"});
  REQUIRE(count(s, "documents") == "2");
  sql(s, "UPDATE document_assignments SET content_tag = x'" + tag + "' WHERE document_id = 1");
  check_reported(verify_at_every_level(s), 2, "document stored twice", k_same_content);
}

TEST_CASE("verify names an envelope taken in again while the document it became was hidden",
          "[verify][decisions][ingest]") {
  Sandbox s;
  s.init_archive_with_station();
  REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"}).exit_code == 0);
  scan_as_desk(s, s.make_pdf("scan.pdf", {"--seed", "73"}));
  const std::vector<std::string> envelopes = folder_entries(s.archive() + "/inbox");
  REQUIRE(envelopes.size() == 1);
  const std::string envelope = s.archive() + "/inbox/" + envelopes[0];
  std::filesystem::copy_file(envelope, s.path("kept.kenv"));  // the attacker's copy
  kaappi_ok(s, {"ingest", "--customer", "1001", "--kind", "consent-form"});
  REQUIRE_FALSE(file_exists(envelope));

  std::filesystem::copy_file(s.path("kept.kenv"), envelope);
  const std::string uid = sql_value(s, "SELECT hex(blob_uid) FROM documents WHERE id = 1");
  sql(s, "UPDATE documents SET blob_uid = randomblob(16) WHERE id = 1");
  kaappi_ok(s, {"ingest", "--customer", "1002", "--kind", "consent-form"});
  REQUIRE(count(s, "documents") == "2");
  sql(s, "UPDATE documents SET blob_uid = x'" + uid + "' WHERE id = 1");
  check_reported(verify_at_every_level(s), 2, "document stored twice",
                 "documents 1 and 2 were both taken in from the same station envelope");
}

TEST_CASE("verify --full names a consent event corrected twice while its first correction was hidden",
          "[verify][decisions][consent]") {
  Sandbox s;
  s.init_archive_with_customer();
  REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"}).exit_code == 0);
  const std::vector<std::string> set = {"consent", "set", "--customer", "1001", "--purpose", "sms-marketing",
                                        "--source", "email", "--state"};
  auto with = [&](std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  kaappi_ok(s, with(set, {"granted"}));                    // event 1
  kaappi_ok(s, with(set, {"refused", "--corrects", "1"}));  // event 2
  std::vector<std::string> second;
  SECTION("corrected again") { second = with(set, {"withdrawn", "--corrects", "1"}); }
  SECTION("retracted") { second = {"consent", "retract", "1", "--customer", "1001", "--note", "recorded wrongly"}; }
  // Unaltered, event 1 cannot be corrected again.
  REQUIRE(s.kaappi(second).exit_code == 4);

  // Its correction moved to another customer for the command, and back.
  sql(s, "UPDATE consent_events SET customer_id = 2 WHERE id = 2");
  kaappi_ok(s, second);
  REQUIRE(count(s, "consent_events") == "3");
  sql(s, "UPDATE consent_events SET customer_id = 1 WHERE id = 2");
  const Result full = verify_full(s);
  INFO(full.out << full.err);
  CHECK(full.exit_code == 1);
  CHECK(reports(full, 0, "consent event corrected twice",
                "consent event 1 is corrected (or retracted) by events 2 and 3;"));
  CHECK(json::parse(full.out)["problems"].size() == 1);
}

TEST_CASE("verify names a read logged without the customer whose assignment was hidden", "[verify][decisions]") {
  Sandbox s;
  s.init_archive_with_station();
  scan_as_desk(s, s.make_pdf("scan.pdf", {"--seed", "74"}));
  kaappi_ok(s, {"ingest", "--kind", "consent-form"});
  kaappi_ok(s, {"assign", "1", "--customer", "1001"});

  sql(s, "UPDATE document_assignments SET document_id = 99 WHERE document_id = 1");
  kaappi_ok(s, {"get", "1", "-o", s.path("out.pdf"), "--reason", "asked for it"});
  sql(s, "UPDATE document_assignments SET document_id = 1 WHERE document_id = 99");
  REQUIRE(sql_value(s, "SELECT count(*) FROM access_log WHERE customer_id IS NULL") == "1");
  check_reported(verify_at_every_level(s), 1, "access logged under the wrong customer",
                 "access log entry 1: document 1 belonged to customer 1 when it was read, the entry names no customer");
}

TEST_CASE("an archive of assigned scans, reads, corrections and retractions verifies clean", "[verify][decisions]") {
  Sandbox s;
  s.init_archive_with_station();
  REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"}).exit_code == 0);
  const std::string form = s.make_pdf("form.pdf", {"--seed", "75"});
  const std::string scanned = s.make_pdf("scan.pdf", {"--seed", "76"});
  REQUIRE(s.import({form}) == std::vector<long>{1});
  kaappi_ok(s, {"import", form, "--customer", "1002", "--kind", "consent-form"});  // document 2: another customer's
  scan_as_desk(s, scanned);
  kaappi_ok(s, {"ingest", "--kind", "consent-form"});  // document 3, unassigned
  auto get = [&](const std::string& id) {
    kaappi_ok(s, {"get", id, "-o", s.path("read-" + id + ".pdf"), "--force", "--reason", "checking"});
  };
  get("3");  // read while it had no customer
  kaappi_ok(s, {"assign", "3", "--customer", "1001"});
  get("3");
  get("1");
  get("1");
  // The same scan again after the first was assigned: a new unassigned document.
  scan_as_desk(s, scanned);
  kaappi_ok(s, {"ingest", "--kind", "consent-form"});
  REQUIRE(count(s, "documents") == "4");
  get("4");
  kaappi_ok(s, {"assign", "4", "--customer", "1002"});
  get("4");

  const std::vector<std::string> set = {"consent", "set", "--customer", "1001", "--source", "email", "--purpose"};
  auto with = [&](std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  kaappi_ok(s, with(set, {"sms-marketing", "--state", "granted"}));                       // 1
  kaappi_ok(s, with(set, {"sms-marketing", "--state", "refused", "--corrects", "1"}));    // 2
  kaappi_ok(s, with(set, {"sms-marketing", "--state", "withdrawn", "--corrects", "2"}));  // 3
  kaappi_ok(s, with(set, {"research", "--state", "granted"}));                            // 4
  kaappi_ok(s, {"consent", "retract", "4", "--customer", "1001", "--note", "recorded wrongly"});  // 5
  kaappi_ok(s, {"consent", "set", "--customer", "1002", "--source", "email", "--purpose", "research", "--state",
                "granted"});  // 6
  kaappi_ok(s, {"consent", "retract", "6", "--customer", "1002", "--note", "recorded wrongly"});  // 7
  REQUIRE(count(s, "consent_events") == "7");
  for (const Result& r : verify_at_every_level(s)) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("a document stored again beside its twin whose blob was missing is no hidden row, also once the blob is back",
          "[verify][decisions]") {
  Sandbox s;
  s.init_archive_with_customer();
  const std::string pdf = s.make_pdf("form.pdf", {"--seed", "77"});
  REQUIRE(s.import({pdf}) == std::vector<long>{1});
  const std::string blob = blob_of(s, 1);
  std::filesystem::rename(blob, s.path("kept.blob"));
  // Import stores it again, says why, and its row names document 1 as its twin.
  Result again = s.kaappi({"import", pdf, "--customer", "1001", "--kind", "consent-form"});
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.out + again.err, Catch::Contains("so this one was stored as well"));
  REQUIRE(count(s, "documents") == "2");
  CHECK(sql_value(s, "SELECT twin_of FROM documents WHERE id = 2") == "1");
  CHECK(sql_value(s, "SELECT typeof(twin_of) FROM documents WHERE id = 1") == "null");
  for (const Result& r : verify_at_every_level(s)) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(reports_problem(r, "blob missing"));
    CHECK_FALSE(reports_problem(r, "document stored twice"));
  }
  std::filesystem::rename(s.path("kept.blob"), blob);
  for (const Result& r : verify_at_every_level(s)) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
  }
  // The twin is signed: named otherwise outside kaappi, the row no longer matches.
  sql(s, "UPDATE documents SET twin_of = NULL WHERE id = 2");
  const Result v = s.kaappi({"verify", "--json"});
  CHECK(v.exit_code == 1);
  CHECK(reports(v, 2, "document stored twice", k_same_content));
}

namespace {

// The notes of a verify --json report, joined.
std::string notes_of(const Result& r) {
  const json report = json::parse(r.out);
  std::string all;
  for (const auto& n : report["notes"]) all += n.get<std::string>() + "\n";
  return all;
}

}  // namespace

// An outside review: someone with write access to the folder moved document
// 1's blob away during each import and put it back; the duplicate lookup
// looked only at the lowest id, so every import stored one more signed copy
// while a copy stood with its blob in place.
TEST_CASE("import stores no further copy while any copy of the content has its blob in place, and verify notes the "
          "copies",
          "[verify][decisions]") {
  Sandbox s;
  s.init_archive_with_customer();
  const std::string pdf = s.make_pdf("form.pdf", {"--seed", "78"});
  REQUIRE(s.import({pdf}) == std::vector<long>{1});
  const std::string blob1 = blob_of(s, 1);
  std::filesystem::rename(blob1, s.path("kept1.blob"));
  const std::vector<std::string> again = {"--json", "import", pdf, "--customer", "1001", "--kind", "consent-form"};
  kaappi_ok(s, again);  // document 2, a copy of 1
  REQUIRE(count(s, "documents") == "2");
  REQUIRE(sql_value(s, "SELECT twin_of FROM documents WHERE id = 2") == "1");

  // Document 2's blob is in place: a duplicate of it, however often 1's is missing.
  for (int i = 0; i < 2; ++i) {
    const Result dup = s.kaappi(again);
    INFO(dup.out << dup.err);
    REQUIRE(dup.exit_code == 0);
    const json result = json::parse(dup.out)["results"][0];
    CHECK(result["status"] == "duplicate");
    CHECK(result["document"] == 2);
  }
  CHECK(count(s, "documents") == "2");

  // Both blobs gone: stored again, naming the lowest id, and said.
  const std::string blob2 = blob_of(s, 2);
  std::filesystem::rename(blob2, s.path("kept2.blob"));
  const Result third = s.kaappi({"import", pdf, "--customer", "1001", "--kind", "consent-form"});
  INFO(third.out << third.err);
  REQUIRE(third.exit_code == 0);
  CHECK_THAT(third.err, Catch::Contains("documents 1 and 2 hold the same content, but none has its encrypted file in "
                                        "place (document 1's is missing; document 2's is missing; run kaappi verify), "
                                        "so this one was stored as well"));
  REQUIRE(count(s, "documents") == "3");
  CHECK(sql_value(s, "SELECT twin_of FROM documents WHERE id = 3") == "1");

  // The files back: sound at every level, with a note naming the copies.
  std::filesystem::rename(s.path("kept1.blob"), blob1);
  std::filesystem::rename(s.path("kept2.blob"), blob2);
  for (const Result& r : verify_at_every_level(s)) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    const std::string notes = notes_of(r);
    CHECK_THAT(notes, Catch::Contains("documents 2 and 3 are copies of document 1, stored again because no document "
                                      "holding the same content for customer 1 had its encrypted file in place then"));
    CHECK_THAT(notes, Catch::Contains("document 3 was stored while an earlier copy already stood"));
  }
  const Result text = s.kaappi({"verify"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("note: documents 2 and 3 are copies of document 1"));
  // And a duplicate again now.
  kaappi_ok(s, again);
  CHECK(count(s, "documents") == "3");
  // Assign still refuses a twin whatever its blob: nothing to assign here, the copies are the customer's.
}

TEST_CASE("ingest stores no further copy of a scan while any copy has its blob in place", "[verify][decisions][ingest]") {
  Sandbox s;
  s.init_archive_with_station();
  const std::string pdf = s.make_pdf("scan.pdf", {"--seed", "79"});
  scan_as_desk(s, pdf);
  kaappi_ok(s, {"ingest", "--customer", "1001", "--kind", "consent-form"});
  const std::string blob1 = blob_of(s, 1);
  std::filesystem::rename(blob1, s.path("kept1.blob"));
  scan_as_desk(s, pdf);  // another envelope of the same scan
  kaappi_ok(s, {"ingest", "--customer", "1001", "--kind", "consent-form"});
  REQUIRE(count(s, "documents") == "2");
  REQUIRE(sql_value(s, "SELECT twin_of FROM documents WHERE id = 2") == "1");

  scan_as_desk(s, pdf);
  const Result dup = s.kaappi({"ingest", "--customer", "1001", "--kind", "consent-form"});
  INFO(dup.out << dup.err);
  REQUIRE(dup.exit_code == 0);
  CHECK_THAT(dup.out + dup.err, Catch::Contains("the customer already has this document (document 2)"));
  CHECK(count(s, "documents") == "2");
  CHECK(folder_entries(s.archive() + "/inbox").empty());

  std::filesystem::rename(s.path("kept1.blob"), blob1);
  for (const Result& r : verify_at_every_level(s)) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(notes_of(r), Catch::Contains("document 2 is a copy of document 1, stored again because no document "
                                            "holding the same content for customer 1 had its encrypted file in place"));
  }
}

TEST_CASE("ingest takes the same envelope in no further time while any document it became has its blob in place",
          "[verify][decisions][ingest]") {
  Sandbox s;
  s.init_archive_with_station();
  scan_as_desk(s, s.make_pdf("scan.pdf", {"--seed", "80"}));
  const std::vector<std::string> envelopes = folder_entries(s.archive() + "/inbox");
  REQUIRE(envelopes.size() == 1);
  const std::string envelope = s.archive() + "/inbox/" + envelopes[0];
  std::filesystem::copy_file(envelope, s.path("kept.kenv"));
  kaappi_ok(s, {"ingest", "--customer", "1001", "--kind", "consent-form"});
  // Document 1's blob file replaced by a folder (the envelope puts back a
  // missing, cut, grown or linked one, never a folder's).
  const std::string blob1 = blob_of(s, 1);
  std::filesystem::copy_file(blob1, s.path("kept1.blob"));
  std::filesystem::remove(blob1);
  std::filesystem::create_directory(blob1);
  std::filesystem::copy_file(s.path("kept.kenv"), envelope);
  kaappi_ok(s, {"ingest", "--customer", "1001", "--kind", "consent-form"});
  REQUIRE(count(s, "documents") == "2");
  REQUIRE(sql_value(s, "SELECT twin_of FROM documents WHERE id = 2") == "1");
  // Sent once more while document 2's blob is in place: a duplicate.
  std::filesystem::copy_file(s.path("kept.kenv"), envelope);
  const Result dup = s.kaappi({"ingest", "--customer", "1001", "--kind", "consent-form"});
  INFO(dup.out << dup.err);
  REQUIRE(dup.exit_code == 0);
  CHECK_THAT(dup.out + dup.err, Catch::Contains("already in the archive as document 2"));
  CHECK(count(s, "documents") == "2");
  std::filesystem::remove(blob1);
  std::filesystem::copy_file(s.path("kept1.blob"), blob1);
  for (const Result& r : verify_at_every_level(s)) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(notes_of(r), Catch::Contains("document 2 is a copy of document 1"));
  }
}
