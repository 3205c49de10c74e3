// test_station_trust.cpp — what a registered station can and cannot do to the
// archive, with the real binaries: envelopes are forged with a station's key
// (tests/tools/forge_envelope) the way any holder of that key could.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

std::vector<std::string> list(const Sandbox& s, const std::string& dir) {
  std::vector<std::string> out;
  std::string text = s.run({"/bin/ls", "-A", dir}).out;
  for (size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) out.push_back(text.substr(at, nl - at));
  return out;
}

std::string base(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// An archive with customers 1001 and 1002, two registered stations (desk and
// porch, keys in the sandbox) and the archive's public key in archive.pub.
struct Stations {
  Sandbox& s;
  explicit Stations(Sandbox& sandbox) : s(sandbox) {
    s.init_archive_with_station(key("desk"));
    s.register_station("porch", key("porch"));
    REQUIRE(s.kaappi({"customer", "add", "--number", "1002", "--name", "Toinen Oy"}).exit_code == 0);
  }
  std::string inbox() const { return s.archive() + "/inbox"; }
  std::string key(const std::string& station) const { return s.path(station + ".key"); }
  // Seals `file` as `station` with forge_envelope's extra arguments; returns the envelope's path.
  std::string forge(const std::string& station, const std::string& file, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {bin("forge_envelope"), "--public-key", s.path("archive.pub"), "--station-key",
                                     key(station), "--inbox", inbox(), "--file", file};
    args.insert(args.end(), extra.begin(), extra.end());
    Result r = s.run(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find('\n'));
  }
  nlohmann::json documents() const { return nlohmann::json::parse(s.kaappi({"documents", "--json"}).out)["documents"]; }
};

}  // namespace

TEST_CASE("a station cannot make another station's scan vanish by reusing its uid: both are stored, in either order",
          "[ingest][stations]") {
  const bool desk_first = GENERATE(true, false);
  const bool one_run = GENERATE(true, false);
  INFO("desk's envelope arrives " << (desk_first ? "first" : "second") << (one_run ? ", one ingest" : ", two ingests"));
  Sandbox s;
  Stations st(s);
  const std::string uid = "00112233445566778899aabbccddeeff";
  std::string desk_pdf = s.make_pdf("desk.pdf", {"--seed", "51"});
  std::string porch_pdf = s.make_pdf("porch.pdf", {"--seed", "52", "--pages", "2"});
  const std::string first_pdf = desk_first ? desk_pdf : porch_pdf, second_pdf = desk_first ? porch_pdf : desk_pdf;
  std::string first = st.forge(desk_first ? "desk" : "porch", first_pdf, {"--uid", uid});
  const std::string first_bytes = read_text(first);
  if (!one_run) REQUIRE(s.kaappi({"ingest", "--customer", "1001"}).exit_code == 0);
  st.forge(desk_first ? "porch" : "desk", second_pdf, {"--uid", uid});

  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("stored\t" + base(second_pdf)));
  // Both in the archive, each under a uid of the archive's, with the station's uid as blob_uid.
  auto docs = st.documents();
  REQUIRE(docs.size() == 2);
  for (int id : {1, 2}) {
    const std::string out = s.path("back" + std::to_string(id) + ".pdf");
    REQUIRE(s.kaappi({"get", std::to_string(id), "--output", out, "--reason", "test"}).exit_code == 0);
    CHECK(sha_of_file(out) == sha_of_file(id == 1 ? first_pdf : second_pdf));
  }
  CHECK(sql_value(s, "SELECT count(DISTINCT uid) FROM documents") == "2");
  CHECK(sql_value(s, "SELECT count(*) FROM documents WHERE lower(hex(blob_uid)) = '" + uid + "'") == "2");
  CHECK(sql_value(s, "SELECT count(*) FROM documents WHERE lower(hex(uid)) = '" + uid + "'") == "0");
  CHECK(list(s, st.inbox()).empty());
  CHECK(list(s, s.archive() + "/tmp").empty());
  Result verify = s.kaappi({"verify", "--full"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);

  // The first one again (as after an ingest killed before removing it) is
  // found taken in, for whichever customer, and goes with a note.
  write_text(st.inbox() + "/ffffffffffffffffffffffffffffffff.kenv", first_bytes);
  Result again = s.kaappi({"ingest", "--customer", "1002", "--json"});
  CHECK(again.exit_code == 0);
  auto j = nlohmann::json::parse(again.out)["results"];
  REQUIRE(j.size() == 1);
  CHECK(j[0]["status"] == "duplicate");
  CHECK_THAT(j[0]["message"].get<std::string>(), Catch::Contains("already in the archive as document 1"));
  CHECK(list(s, st.inbox()).empty());
  CHECK(st.documents().size() == 2);
}

TEST_CASE("the same scan under the same uid from two stations is a duplicate for one customer, and stored for another",
          "[ingest][stations]") {
  Sandbox s;
  Stations st(s);
  const std::string uid = "00112233445566778899aabbccddeeff";
  std::string pdf = s.make_pdf("same.pdf", {"--seed", "54"});
  st.forge("desk", pdf, {"--uid", uid});
  REQUIRE(s.kaappi({"ingest", "--customer", "1001"}).exit_code == 0);
  st.forge("porch", pdf, {"--uid", uid});
  Result r = s.kaappi({"ingest", "--customer", "1001", "--json"});
  CHECK(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out)["results"];
  REQUIRE(j.size() == 1);
  CHECK(j[0]["status"] == "duplicate");
  CHECK(st.documents().size() == 1);
  // Duplicates are per customer: another customer's copy is stored.
  st.forge("porch", pdf, {"--uid", uid});
  Result other = s.kaappi({"ingest", "--customer", "1002", "--json"});
  CHECK(other.exit_code == 0);
  CHECK(nlohmann::json::parse(other.out)["results"][0]["status"] == "stored");
  CHECK(st.documents().size() == 2);
  CHECK(list(s, st.inbox()).empty());
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("the same content sealed again by another station is still a duplicate, removed with a note",
          "[ingest][stations]") {
  Sandbox s;
  Stations st(s);
  std::string pdf = s.make_pdf("twice.pdf", {"--seed", "53"});
  st.forge("desk", pdf);
  REQUIRE(s.kaappi({"ingest", "--customer", "1001"}).exit_code == 0);
  st.forge("porch", pdf);
  Result r = s.kaappi({"ingest", "--customer", "1001", "--json"});
  CHECK(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out)["results"];
  REQUIRE(j.size() == 1);
  CHECK(j[0]["status"] == "duplicate");
  CHECK_THAT(j[0]["message"].get<std::string>(), Catch::Contains("the customer already has this document (document 1)"));
  CHECK(list(s, st.inbox()).empty());
  CHECK(st.documents().size() == 1);
}

TEST_CASE("station metadata is hostile input: bad envelopes go to rejected/, the good one beside them is taken in",
          "[ingest][stations]") {
  Sandbox s;
  Stations st(s);
  std::string pdf = s.make_pdf("scan.pdf", {"--seed", "54"});
  write_text(s.path("deep.json"), std::string(100000, '[') + std::string(100000, ']'));
  write_text(s.path("deep-objects.json"), [] {
    std::string t;
    for (int i = 0; i < 50000; ++i) t += "{\"a\":";
    return t + "1" + std::string(50000, '}');
  }());
  write_text(s.path("seventeen.json"), std::string(16, '[') + std::string(16, ']'));  // 17 with the outer object
  write_text(s.path("not-json.txt"), "file_name=scan.pdf");
  write_text(s.path("array.json"), "[1,2,3]");
  write_text(s.path("cut.json"), "{\"file_name\":\"scan.pdf\",\"pages\":");
  std::string long_name = "\"" + std::string(300, 'a') + ".pdf\"";
  const std::vector<std::vector<std::string>> bad = {
      {"--set-from", "pdf=" + s.path("deep.json")},
      {"--set-from", "pdf=" + s.path("deep-objects.json")},
      {"--set-from", "pdf=" + s.path("seventeen.json")},
      {"--metadata-from", s.path("not-json.txt")},
      {"--metadata-from", s.path("array.json")},
      {"--metadata-from", s.path("cut.json")},
      {"--set", "pages=\"3\""},
      {"--set", "pages=-1"},
      {"--set", "pages=0"},
      {"--set", "pages=2.5"},
      {"--set", "pages=99999999999999999999999"},
      {"--set", "pages=true"},
      {"--set", "file_name=5"},
      {"--set", "file_name=\"../../etc/passwd\""},
      {"--set", "file_name=\"bell\\u0007.pdf\""},
      {"--set", "file_name=" + long_name},
      {"--set", "file_name=\"\""},
      {"--set", "scanned_at=-5"},
      {"--set", "scanned_at=1e300"},
      {"--set", "plain_size=\"big\""},
      {"--set", "content_hash=\"zz\""},
      {"--set", "station=\"../evil\""},
      {"--set", "pdf=[]"},
      {"--set", "extra={}"},
      {"--drop", "content_hash"},
  };
  std::vector<std::string> bad_names;
  for (const auto& args : bad) bad_names.push_back(base(st.forge("porch", pdf, args)));
  std::string good = base(st.forge("desk", s.make_pdf("good.pdf", {"--seed", "55"})));

  Result list_r = s.kaappi({"ingest", "--list"});
  INFO(list_r.err);
  CHECK(list_r.exit_code == 0);
  for (const std::string& name : bad_names) {
    INFO(name);
    CHECK_THAT(list_r.out, Catch::Contains(name + "\t") && Catch::Contains("\tREFUSED: " + name + ": its metadata"));
  }
  CHECK_THAT(list_r.out, Catch::Contains(good + "\tdesk\t") && Catch::Contains("good.pdf"));
  CHECK(st.documents().empty());

  Result r = s.kaappi({"ingest", "--customer", "1001", "--json"});
  INFO(r.err);
  CHECK(r.exit_code == 6);
  auto results = nlohmann::json::parse(r.out)["results"];
  REQUIRE(results.size() == bad.size() + 1);
  size_t stored = 0;
  for (const auto& x : results) {
    INFO(x.dump());
    if (x["envelope"] == good) {
      CHECK(x["status"] == "stored");
      ++stored;
    } else {
      CHECK(x["status"] == "rejected");
      CHECK_THAT(x["message"].get<std::string>(), Catch::Contains("its metadata"));
    }
  }
  CHECK(stored == 1);
  CHECK(st.documents().size() == 1);
  auto rejected = list(s, st.inbox() + "/rejected");
  CHECK(rejected.size() == 2 * bad.size());  // each envelope and its .reason
  for (const std::string& name : bad_names) {
    INFO(name);
    CHECK(std::find(rejected.begin(), rejected.end(), name) != rejected.end());
    CHECK(std::find(rejected.begin(), rejected.end(), name + ".reason") != rejected.end());
  }
  CHECK(list(s, st.inbox()) == std::vector<std::string>{"rejected"});
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("station metadata over the limit is refused as too large, naming the limit", "[ingest][stations]") {
  Sandbox s;
  Stations st(s);
  write_text(s.path("big.json"), "{\"text\":\"" + std::string(1 << 20, 'x') + "\"}");
  std::string big = base(st.forge("porch", s.make_pdf("scan.pdf", {"--seed", "58"}), {"--set-from", "pdf=" + s.path("big.json")}));
  std::string good = base(st.forge("desk", s.make_pdf("good.pdf", {"--seed", "59"})));
  const std::string reason = big + ": its metadata is larger than the limit of 1048576 bytes (1 MiB)";
  Result list_r = s.kaappi({"ingest", "--list"});
  CHECK(list_r.exit_code == 0);
  CHECK_THAT(list_r.out, Catch::Contains(big + "\t\t\t\t\t\tREFUSED: " + reason + "\n"));
  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.err);
  CHECK(r.exit_code == 6);
  CHECK_THAT(r.err, Catch::Contains("kaappi: rejected " + big + ": " + reason + "; moved to rejected/" + big + "\n"));
  CHECK_THAT(r.out, Catch::Contains("stored\tgood.pdf from desk"));
  CHECK(st.documents().size() == 1);
  CHECK_THAT(read_text(st.inbox() + "/rejected/" + big + ".reason"), Catch::Contains(reason));
  CHECK(list(s, st.inbox()) == std::vector<std::string>{"rejected"});
}

TEST_CASE("the key holder's reading of the scan decides pages, text and customer, not the station's word",
          "[ingest][stations]") {
  Sandbox s;
  Stations st(s);
  // A blank page whose station claims a text layer naming customer 1002 and 7 pages.
  std::string blank = s.make_pdf("blank.pdf", {"--seed", "56", "--form", "blank"});
  st.forge("porch", blank, {"--set", "pages=7", "--set", "pdf={\"pages\":7,\"text\":\"Asiakasnumero: 1002\"}"});
  // A scan that does name 1001, sent with no claim at all about its text.
  std::string named = s.make_pdf("named.pdf", {"--seed", "57", "--pages", "2", "--text", "Asiakasnumero: 1001"});
  st.forge("desk", named, {"--set", "pdf={}"});
  // Not a PDF at all, sealed by a station that skipped its checks.
  write_text(s.path("notes.pdf"), "%PDF-1.4 plain text pretending, Asiakasnumero: 1002\n");
  std::string junk = base(st.forge("porch", s.path("notes.pdf"), {"--set", "pdf={\"text\":\"Asiakasnumero: 1002\"}"}));

  Result r = s.kaappi({"ingest", "--json"});
  INFO(r.err);
  CHECK(r.exit_code == 6);
  auto results = nlohmann::json::parse(r.out)["results"];
  REQUIRE(results.size() == 3);
  CHECK(results[0]["status"] == "stored");
  CHECK(results[0]["customer"] == "");  // unassigned: the page names nobody
  CHECK(results[0]["pages"] == 1);
  CHECK(results[1]["status"] == "stored");
  CHECK(results[1]["customer"] == "1001");
  CHECK(results[1]["customer_from_scan"] == true);
  CHECK(results[1]["pages"] == 2);
  CHECK(results[2]["status"] == "rejected");
  CHECK_THAT(results[2]["message"].get<std::string>(), Catch::Contains(junk) && Catch::Contains("not a readable PDF"));
  CHECK(file_exists(st.inbox() + "/rejected/" + junk));

  auto docs = st.documents();
  REQUIRE(docs.size() == 2);
  Result unassigned = s.kaappi({"documents", "--unassigned", "--json"});
  CHECK(nlohmann::json::parse(unassigned.out)["documents"].size() == 1);
  Result of_1002 = s.kaappi({"documents", "--customer", "1002", "--json"});
  CHECK(nlohmann::json::parse(of_1002.out)["documents"].empty());
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);
}

TEST_CASE("kaappi-scan refuses what kaappi import refuses, for the same reason", "[scanner][stations]") {
  Sandbox s;
  s.init_archive_with_customer();
  write_text(s.path("archive.pub"), s.kaappi({"key", "public"}).out);
  REQUIRE(s.run({bin("kaappi-scan"), "init", "--station", "desk"}).exit_code == 0);
  s.run({"/bin/mkdir", s.path("inbox"), s.path("folder.pdf")});
  write_text(s.path("notes.pdf"), "Dear customer, this is plain text.\n");
  write_text(s.path("empty.pdf"), "");
  write_text(s.path("broken.pdf"), "%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF\n");
  std::string good = s.make_pdf("good.pdf", {"--seed", "58"});
  struct Case {
    std::string file, reason;
    std::vector<std::string> extra;
  };
  const std::vector<Case> cases = {
      {s.path("notes.pdf"), "it is not a PDF", {}},
      {s.path("empty.pdf"), "the file is empty", {}},
      {s.path("folder.pdf"), "not a regular file", {}},
      {s.path("broken.pdf"), "not a readable PDF", {}},
      {good, "it is larger than the limit of 0 MiB (--max-size)", {"--max-size", "0"}},
  };
  const std::string before = s.archive_fingerprint();
  for (const Case& c : cases) {
    INFO(c.file);
    const std::string sha = c.file == s.path("folder.pdf") ? "" : sha_of_file(c.file);
    std::vector<std::string> import = {"import", c.file, "--customer", "1001", "--kind", "other"};
    import.insert(import.end(), c.extra.begin(), c.extra.end());
    Result by_import = s.kaappi(import);
    CHECK(by_import.exit_code == 4);
    CHECK_THAT(by_import.err, Catch::Contains(c.reason));
    std::vector<std::string> scan = {bin("kaappi-scan"), c.file, "--public-key", s.path("archive.pub"), "--inbox",
                                     s.path("inbox")};
    scan.insert(scan.end(), c.extra.begin(), c.extra.end());
    Result by_scan = s.run(scan);
    CHECK(by_scan.exit_code == 4);
    CHECK_THAT(by_scan.err, Catch::Contains("refused " + c.file + ": ") && Catch::Contains(c.reason));
    if (!sha.empty()) CHECK(sha_of_file(c.file) == sha);  // left where it was, as it was
  }
  CHECK(list(s, s.path("inbox")).empty());
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("an envelope whose blob is already in blobs/ without an index row is stored under a new uid, never "
          "touching the file there",
          "[ingest][stations][rollback]") {
  Sandbox s;
  Stations st(s);
  const std::string uid = "0123456789abcdef0123456789abcdef";
  const std::string blob_path = s.archive() + "/blobs/01/" + uid + ".blob";
  std::string pdf = s.make_pdf("scan.pdf", {"--seed", "73"});
  st.forge("desk", pdf, {"--uid", uid});
  // A file under the envelope's uid that no index row names (as a format-1
  // ingest, rolled back by a restore of the index, could leave one).
  write_text(blob_path, "bytes kept from a restore");
  const std::string blob_sha = sha_of_file(blob_path);

  SECTION("the same envelope is taken in, the file there left as it was") {
    Result again = s.kaappi({"ingest", "--customer", "1001"});
    INFO(again.out + again.err);
    CHECK(again.exit_code == 0);
    REQUIRE(st.documents().size() == 1);
    REQUIRE(s.kaappi({"get", "1", "-o", s.path("out.pdf"), "--reason", "test"}).exit_code == 0);
    CHECK(sha_of_file(s.path("out.pdf")) == sha_of_file(pdf));
    CHECK(sha_of_file(blob_path) == blob_sha);
    Result verify = s.kaappi({"verify", "--full"});
    INFO(verify.out + verify.err);
    CHECK(verify.exit_code == 1);  // the file no row names is listed
    CHECK_THAT(verify.out + verify.err, Catch::Contains(uid));
  }
  SECTION("another scan under the same uid too") {
    std::string other = s.make_pdf("other.pdf", {"--seed", "74"});
    st.forge("porch", other, {"--uid", uid});
    Result r = s.kaappi({"ingest", "--customer", "1001"});
    INFO(r.out + r.err);
    CHECK(r.exit_code == 0);
    CHECK(st.documents().size() == 2);
    CHECK(sha_of_file(blob_path) == blob_sha);
  }
}

TEST_CASE("a station cannot pass another station's sealed scan off as its own: the name sealed inside is checked",
          "[ingest][stations]") {
  Sandbox s;
  Stations st(s);
  // porch signs an envelope whose sealed metadata names desk, as porch's
  // re-signing of desk's envelope leaves it (porch cannot alter it).
  const std::string pdf = s.make_pdf("scan.pdf", {"--seed", "57"});
  const std::string envelope = st.forge("porch", pdf, {"--set", "station=\"desk\""});
  Result r = s.kaappi({"ingest", "--customer", "1001"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 4);  // nothing taken in
  CHECK_THAT(r.out + r.err, Catch::Contains(base(envelope) + " was sealed by station 'desk' but signed by station "
                                                             "'porch': one station re-signed another's envelope"));
  CHECK(list(s, st.inbox() + "/rejected").size() == 2);  // the envelope and its reason
  CHECK(st.documents().empty());
  // A name no registered station has (a station named otherwise when it was
  // made) is not another's: taken in, as from its signer.
  st.forge("porch", pdf, {"--set", "station=\"front-door\""});
  Result ok = s.kaappi({"ingest", "--customer", "1001"});
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("from porch"));
}
