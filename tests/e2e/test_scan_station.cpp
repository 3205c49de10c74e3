// test_scan_station.cpp — kaappi-scan: station keys, sealing scans into the
// inbox, and that nothing on the station can read what it sent.
#include <signal.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include <algorithm>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

Result scan(const Sandbox& s, std::vector<std::string> args, const std::map<std::string, std::string>& env = {}) {
  args.insert(args.begin(), bin("kaappi-scan"));
  return s.run(args, env);
}

std::vector<std::string> list(const Sandbox&, const std::string& dir) { return folder_entries(dir); }

std::string everything_under(const Sandbox& s, const std::string& dir) {
  Result files = s.run({"/usr/bin/find", dir, "-type", "f"});
  std::string all;
  for (size_t start = 0; start < files.out.size();) {
    size_t end = files.out.find('\n', start);
    all += read_text(files.out.substr(start, end - start));
    start = end + 1;
  }
  return all;
}

}  // namespace

TEST_CASE("kaappi-scan init makes a 0600 station key once and prints how to register it", "[scanner]") {
  Sandbox s;
  Result r = scan(s, {"init", "--station", "office-scanner"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("kaappi station add office-scanner kaappi-spk1:"));
  std::string key = s.dir() + "/home/config/kaappi-scan/office-scanner.key";
  struct stat st {};
  REQUIRE(::stat(key.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::string before = read_text(key);
  Result again = scan(s, {"init", "--station", "office-scanner"});
  CHECK(again.exit_code == 4);
  CHECK_THAT(again.err, Catch::Contains("never replaced"));
  CHECK(read_text(key) == before);
  CHECK(scan(s, {"init", "--station", "../evil"}).exit_code == 2);
  CHECK(scan(s, {"init"}).exit_code == 2);
}

TEST_CASE("kaappi-scan seals scans into the inbox, then removes or keeps the plaintext, bad files stay put", "[scanner]") {
  Sandbox s;
  s.init_archive_with_customer();
  write_text(s.path("archive.pub"), s.kaappi({"key", "public"}).out);
  REQUIRE(scan(s, {"init", "--station", "office-scanner"}).exit_code == 0);
  s.run({"/bin/mkdir", s.path("inbox"), s.path("keep")});
  std::string a = s.make_pdf("Anna Asiakas suostumus.pdf", {"--text", "Salainen sopimusteksti 4711", "--seed", "1"});
  std::string b = s.make_pdf("b.pdf", {"--seed", "2", "--pages", "3"});
  write_text(s.path("not-a-pdf.pdf"), "Dear customer, this is plain text.\n");
  std::string b_sha = sha_of_file(b);

  Result r = scan(s, {a, s.path("not-a-pdf.pdf"), "--public-key", s.path("archive.pub"), "--inbox", s.path("inbox")});
  CHECK(r.exit_code == 6);  // one file sealed, one refused
  CHECK_THAT(r.out, Catch::Contains("sealed   " + a + " (1 page) -> " + s.path("inbox") + "/"));
  CHECK_THAT(r.err, Catch::Contains("refused " + s.path("not-a-pdf.pdf")) && Catch::Contains("left where it is"));
  CHECK_FALSE(file_exists(a));                   // sealed: the plaintext is gone
  CHECK(file_exists(s.path("not-a-pdf.pdf")));  // refused: untouched

  std::string pub = read_text(s.path("archive.pub"));
  pub.erase(pub.find_last_not_of("\n") + 1);
  Result kept = scan(s, {b, "--public-key", pub, "--inbox", s.path("inbox"), "--keep", s.path("keep"), "--json"});
  INFO(kept.err);
  REQUIRE(kept.exit_code == 0);
  auto j = nlohmann::json::parse(kept.out);
  CHECK(j["results"][0]["pages"] == 3);
  CHECK(j["station"] == "office-scanner");
  CHECK(file_exists(s.path("keep/b.pdf")));
  CHECK_FALSE(file_exists(b));

  auto inbox = list(s, s.path("inbox"));
  REQUIRE(inbox.size() == 2);
  for (const auto& name : inbox) {
    INFO(name);
    CHECK(name.size() == 32 + 5);  // a random id and ".kenv": nothing about the scan
    CHECK_THAT(name, Catch::EndsWith(".kenv"));
  }
  // Nothing the station holds or wrote shows the scan: not its name, its
  // text, its bytes, nor the station's secret key outside its key file.
  std::string station_side = everything_under(s, s.path("inbox")) + everything_under(s, s.dir() + "/home/config") +
                             read_text(s.path("archive.pub"));
  for (const char* secret : {"Anna Asiakas", "suostumus", "Salainen", "4711", "b.pdf", "kaappi test scanner"}) {
    INFO(secret);
    CHECK(station_side.find(secret) == std::string::npos);
  }
  CHECK(sha_of_file(s.path("keep/b.pdf")) == b_sha);  // kept as scanned
}

TEST_CASE("kaappi-scan cannot decrypt by construction: it imports no opening function", "[scanner]") {
  Sandbox s;
  Result nm = s.run({"/usr/bin/nm", "-D", "--undefined-only", bin("kaappi-scan")});
  REQUIRE(nm.exit_code == 0);
  CHECK_THAT(nm.out, Catch::Contains("crypto_box_seal") && Catch::Contains("crypto_secretstream_xchacha20poly1305_push"));
  for (const char* opener : {"crypto_box_seal_open", "crypto_box_open", "crypto_secretstream_xchacha20poly1305_pull",
                             "crypto_aead_xchacha20poly1305_ietf_decrypt", "crypto_pwhash", "sqlite3_open"}) {
    INFO(opener);
    CHECK(nm.out.find(opener) == std::string::npos);
  }
}

TEST_CASE("kaappi-scan refuses clearly without a key, inbox or station", "[scanner]") {
  Sandbox s;
  s.init_archive_with_customer();
  write_text(s.path("archive.pub"), s.kaappi({"key", "public"}).out);
  std::string pdf = s.make_pdf("a.pdf");
  s.run({"/bin/mkdir", s.path("inbox")});
  Result no_station = scan(s, {pdf, "--public-key", s.path("archive.pub"), "--inbox", s.path("inbox")});
  CHECK(no_station.exit_code == 5);
  CHECK_THAT(no_station.err, Catch::Contains("kaappi-scan init --station NAME"));
  REQUIRE(scan(s, {"init", "--station", "one"}).exit_code == 0);
  CHECK(scan(s, {pdf, "--inbox", s.path("inbox")}).exit_code == 2);
  CHECK(scan(s, {pdf, "--public-key", "kaappi-pk1:AAAA", "--inbox", s.path("inbox")}).exit_code == 4);  // not a key
  CHECK(scan(s, {pdf, "--public-key", s.path("archive.pub"), "--inbox", s.path("no-such-inbox")}).exit_code == 4);
  CHECK(scan(s, {pdf, "--public-key", s.path("archive.pub")}).exit_code == 2);
  CHECK(file_exists(pdf));
  CHECK(list(s, s.path("inbox")) == std::vector<std::string>{});
}

TEST_CASE("kaappi-scan killed at any step of writing an envelope loses no scan", "[scanner]") {
  for (const char* point : {"envelope.write", "envelope.fsync", "envelope.rename", "envelope.dirsync"}) {
    DYNAMIC_SECTION("crash at " << point) {
      Sandbox s;
      s.init_archive_with_customer();
      write_text(s.path("archive.pub"), s.kaappi({"key", "public"}).out);
      REQUIRE(scan(s, {"init", "--station", "one"}).exit_code == 0);
      s.run({"/bin/mkdir", s.path("inbox")});
      std::string pdf = s.make_pdf("scan.pdf", {"--pages", "2", "--size-mb", "1"});
      std::string sha = sha_of_file(pdf);
      Result r = scan(s, {pdf, "--public-key", s.path("archive.pub"), "--inbox", s.path("inbox")},
                      {{"KAAPPI_FAULT", point}});
      CHECK(r.exit_code == 128 + SIGKILL);
      // Either the plaintext is still there, or a whole envelope is (here
      // the scan is only removed after the envelope is durable: both).
      REQUIRE(file_exists(pdf));
      CHECK(sha_of_file(pdf) == sha);
      auto inbox = list(s, s.path("inbox"));
      CHECK(inbox.size() <= 1);
      for (const auto& name : inbox) CHECK_THAT(name, Catch::EndsWith(".kenv"));  // no half-written temp file
      // Sealing again works.
      Result again = scan(s, {pdf, "--public-key", s.path("archive.pub"), "--inbox", s.path("inbox")});
      CHECK(again.exit_code == 0);
      CHECK_FALSE(file_exists(pdf));
    }
  }
}


TEST_CASE("kaappi station add, list and revoke, a deleted revocation is caught by verify", "[scanner][stations]") {
  Sandbox s;
  s.init_archive_with_customer();
  Result init = scan(s, {"init", "--station", "office-scanner", "--json"});
  REQUIRE(init.exit_code == 0);
  std::string key = nlohmann::json::parse(init.out)["public_key"];
  Result add = s.kaappi({"station", "add", "office-scanner", key});
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(s.kaappi({"station", "add", "another-name", key}).exit_code == 4);        // the same key twice
  CHECK(s.kaappi({"station", "add", "x", "kaappi-spk1:nonsense"}).exit_code == 4);  // not a key: rejected input
  CHECK(s.kaappi({"station", "add", "bad name!", key}).exit_code == 2);
  auto stations = nlohmann::json::parse(s.kaappi({"station", "list", "--json"}).out)["stations"];
  REQUIRE(stations.size() == 1);
  CHECK(stations[0]["name"] == "office-scanner");
  CHECK(stations[0]["public_key"] == key);
  CHECK(stations[0]["revoked"].is_null());

  REQUIRE(s.kaappi({"station", "revoke", "office-scanner"}).exit_code == 0);
  CHECK(s.kaappi({"station", "revoke", "office-scanner"}).exit_code == 5);
  CHECK(s.kaappi({"station", "revoke", "nobody"}).exit_code == 5);
  stations = nlohmann::json::parse(s.kaappi({"station", "list", "--json"}).out)["stations"];
  CHECK(!stations[0]["revoked"].is_null());
  CHECK_THAT(s.kaappi({"station", "list"}).out,
             Catch::StartsWith("NAME\tPUBLIC KEY\tADDED\tSTATUS\n") && Catch::Contains("\trevoked 20"));
  // The station's name is sealed like other fields.
  CHECK(read_text(s.archive() + "/index.sqlite").find("office-scanner") == std::string::npos);
  CHECK(s.kaappi({"verify", "--full"}).exit_code == 0);

  // Someone deletes the revocation to make the station trusted again.
  sql(s, "DELETE FROM station_revocations");
  Result v = s.kaappi({"verify"});
  CHECK(v.exit_code == 1);
  CHECK_THAT(v.out, Catch::Contains("index row deleted"));
}

// A FIFO planted as a scan would block an open() for ever; import and
// kaappi-scan refuse it at once, by name, and import does not hold the
// archive's lock waiting on it.
TEST_CASE("a FIFO named as a PDF is refused at once by import and by kaappi-scan", "[scanner][bad-input]") {
  Sandbox s;
  s.init_archive_with_customer();
  write_text(s.path("archive.pub"), s.kaappi({"key", "public"}).out);
  REQUIRE(scan(s, {"init", "--station", "office-scanner"}).exit_code == 0);
  s.run({"/bin/mkdir", s.path("inbox")});
  REQUIRE(::mkfifo(s.path("scan.pdf").c_str(), 0600) == 0);
  std::string before = s.archive_fingerprint();

  Result imported = s.kaappi({"import", s.path("scan.pdf"), "--customer", "1001", "--kind", "other"});
  INFO(imported.err);
  CHECK(imported.exit_code == 4);
  CHECK_THAT(imported.err, Catch::Contains(s.path("scan.pdf") + " was rejected: it is a FIFO, not a regular file"));
  CHECK(s.archive_fingerprint() == before);

  Result sealed = scan(s, {s.path("scan.pdf"), "--public-key", s.path("archive.pub"), "--inbox", s.path("inbox")});
  INFO(sealed.err);
  CHECK(sealed.exit_code == 4);
  CHECK_THAT(sealed.err, Catch::Contains("refused " + s.path("scan.pdf")) && Catch::Contains("not a regular file"));
  CHECK(list(s, s.path("inbox")).empty());
  CHECK(file_exists(s.path("scan.pdf")));

  // A link named as the scan is said as what it is, and not followed.
  REQUIRE(::symlink(s.make_pdf("real.pdf", {"--seed", "31"}).c_str(), s.path("link.pdf").c_str()) == 0);
  Result linked = scan(s, {s.path("link.pdf"), "--public-key", s.path("archive.pub"), "--inbox", s.path("inbox")});
  INFO(linked.err);
  CHECK(linked.exit_code == 4);
  CHECK_THAT(linked.err, Catch::Contains("refused " + s.path("link.pdf") +
                                         ": it is a symbolic link, not a regular file (the link was not followed)"));
  CHECK(list(s, s.path("inbox")).empty());
}

// A scan's name is whatever the scanner or a person gave the file. The
// station removes the plaintext once sealed, so it must never seal a name
// ingest refuses: each name is sealed as it is when it fits the one rule
// both use, else cleaned to fit; and neither program shows a control or
// bidirectional character of it raw.
TEST_CASE("kaappi-scan seals every file name a folder can hold under one ingest takes in, shown escaped on both sides",
          "[scanner][names]") {
  Sandbox s;
  s.init_archive_with_station();
  s.run({"/bin/mkdir", s.path("scans")});
  const std::string inbox = s.archive() + "/inbox";
  struct Name {
    std::string file, shown, archived;
  };
  const std::string long_latin1 = std::string(240, 'a') + std::string(15, '\xe4');  // 255 bytes, not UTF-8
  const std::vector<Name> names = {
      {"newline\nin name.pdf", "newline\\x0ain name.pdf", "newline_in name.pdf"},
      {"esc \x1b[2J clear.pdf", "esc \\x1b[2J clear.pdf", "esc _[2J clear.pdf"},
      {"tab\tdel\x7f.pdf", "tab\\x09del\\x7f.pdf", "tab_del_.pdf"},
      {"c1 \xc2\x9b csi.pdf", "c1 \\u009b csi.pdf", "c1 _ csi.pdf"},
      {"Latin-1 K\xe4\xe4nt\xf6.pdf", "Latin-1 K\\xe4\\xe4nt\\xf6.pdf", "Latin-1 K__nt_.pdf"},
      {long_latin1, std::string(240, 'a') + "\\xe4\\xe4\\xe4\\xe4\\xe4\\xe4\\xe4\\xe4\\xe4\\xe4\\xe4\\xe4\\xe4\\xe4\\xe4",
       std::string(240, 'a') + std::string(15, '_')},
      // These fit: sealed as they are, escaped wherever shown.
      {"rtl \xe2\x80\xae" "fdp.exe", "rtl \\u202efdp.exe", "rtl \xe2\x80\xae" "fdp.exe"},
      {"isolate \xe2\x81\xa6x\xe2\x81\xa9.pdf", "isolate \\u2066x\\u2069.pdf", "isolate \xe2\x81\xa6x\xe2\x81\xa9.pdf"},
      {"K\xc3\xa4\xc3\xa4nt\xc3\xb6.pdf", "K\xc3\xa4\xc3\xa4nt\xc3\xb6.pdf", "K\xc3\xa4\xc3\xa4nt\xc3\xb6.pdf"},
  };
  std::vector<std::string> args;
  for (size_t i = 0; i < names.size(); ++i)
    args.push_back(s.make_pdf("scans/" + names[i].file, {"--seed", std::to_string(100 + i)}));
  auto never_raw = [](const std::string& text) {
    for (const char* raw : {"\x1b", "\x7f", "\xc2\x9b", "\xe2\x80\xae", "\xe2\x81\xa6", "\xe4\xe4"}) {
      INFO(raw);
      CHECK(text.find(raw) == std::string::npos);
    }
  };
  args.insert(args.end(), {"--public-key", s.path("archive.pub"), "--inbox", inbox});
  Result sealed = scan(s, args);
  INFO(sealed.out << sealed.err);
  REQUIRE(sealed.exit_code == 0);
  never_raw(sealed.out + sealed.err);
  CHECK(std::count(sealed.out.begin(), sealed.out.end(), '\n') == static_cast<long>(names.size()));
  for (const auto& n : names) {
    INFO(n.shown);
    CHECK_FALSE(file_exists(s.path("scans/" + n.file)));
    CHECK_THAT(sealed.out, Catch::Contains("sealed   " + s.path("scans/" + n.shown) + " (1 page) -> "));
    if (n.archived != n.file) CHECK_THAT(sealed.out, Catch::Contains("named " + n.archived + " in the archive"));
  }

  Result listed = s.kaappi({"ingest", "--list"});
  never_raw(listed.out + listed.err);
  Result ingested = s.kaappi({"ingest", "--customer", "1001"});
  INFO(ingested.out << ingested.err);
  CHECK(ingested.exit_code == 0);
  never_raw(ingested.out + ingested.err);
  CHECK(std::count(ingested.out.begin(), ingested.out.end(), '\n') == static_cast<long>(names.size()));
  CHECK(list(s, inbox) == std::vector<std::string>{});
  std::multiset<std::string> archived, expected;
  const auto documents = nlohmann::json::parse(s.kaappi({"documents", "--json"}).out);
  for (const auto& d : documents["documents"]) archived.insert(d["file_name"].get<std::string>());
  for (const auto& n : names) {
    expected.insert(n.archived);
    std::string shown = n.archived == n.file ? n.shown : n.archived;
    CHECK_THAT(ingested.out, Catch::Contains("stored\t" + shown + " from desk as document"));
  }
  CHECK(archived == expected);
  never_raw(s.kaappi({"documents"}).out);

  // A refused envelope is named escaped too.
  write_text(inbox + "/junk \x1b[2J.kenv", "not an envelope");
  Result junk = s.kaappi({"ingest"});
  CHECK(junk.exit_code == 4);
  CHECK_THAT(junk.err, Catch::Contains("rejected junk \\x1b[2J.kenv: "));
  never_raw(junk.err);

  // Error messages of both programs show the paths they name escaped too.
  const std::string odd = s.path("no \x1b[2J inbox \xe2\x80\xae");
  Result bad_inbox = scan(s, {s.make_pdf("scans/x.pdf"), "--public-key", s.path("archive.pub"), "--inbox", odd});
  CHECK(bad_inbox.exit_code == 4);
  CHECK_THAT(bad_inbox.err, Catch::Contains("no \\x1b[2J inbox \\u202e"));
  never_raw(bad_inbox.err);
  Result no_inbox = s.kaappi({"ingest", "--inbox", odd});
  CHECK(no_inbox.exit_code == 5);
  CHECK_THAT(no_inbox.err, Catch::Contains("no \\x1b[2J inbox \\u202e"));
  never_raw(no_inbox.err);

  // --json: a name that is not UTF-8 still gives JSON, and says what was sealed.
  std::string last = s.make_pdf("scans/" + names[4].file, {"--seed", "99"});
  Result json = scan(s, {last, "--public-key", s.path("archive.pub"), "--inbox", inbox, "--json"});
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  auto result = nlohmann::json::parse(json.out)["results"][0];
  CHECK(result["sealed"] == true);
  CHECK(result["sealed_name"] == names[4].archived);
  CHECK_FALSE(file_exists(last));
}

TEST_CASE("a damaged key given by text or file is rejected input, exit 4, for every key kind", "[scanner]") {
  Sandbox s;
  s.init_archive_with_customer();
  auto damaged = [](std::string text, size_t at) {
    text[at] = text[at] == 'A' ? 'B' : 'A';
    return text;
  };
  const std::string pub = s.kaappi({"key", "public"}).out;
  const std::string bad_pub = damaged(pub, std::string("kaappi-pk1:").size() + 5);
  write_text(s.path("bad.pub"), bad_pub);
  std::string pdf = s.make_pdf("a.pdf");
  s.run({"/bin/mkdir", s.path("inbox")});
  Result init = scan(s, {"init", "--station", "one", "--json"});
  REQUIRE(init.exit_code == 0);
  const std::string station_pub = nlohmann::json::parse(init.out)["public_key"];
  const std::string station_key = s.path("home/config/kaappi-scan/one.key");
  REQUIRE(file_exists(station_key));
  const std::string key_text = read_text(station_key);
  write_text(s.path("bad-station.key"), damaged(key_text, key_text.size() - 3));
  ::chmod(s.path("bad-station.key").c_str(), 0600);
  write_text(s.path("bad-station.spk"), damaged(station_pub, std::string("kaappi-spk1:").size() + 5));
  auto rejected = [&](const Result& r, const std::string& says) {
    INFO(r.err);
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains(says));
    CHECK(r.err.find("--help") == std::string::npos);
  };
  const std::string damaged_pub = "the public key text is damaged (checksum mismatch)";
  rejected(s.kaappi({"verify", "--public-key", bad_pub}), damaged_pub);                          // text
  rejected(s.kaappi({"verify", "--public-key", s.path("bad.pub")}), damaged_pub);                // file
  rejected(scan(s, {pdf, "--public-key", s.path("bad.pub"), "--inbox", s.path("inbox"), "--station", "one"}),
           damaged_pub);
  write_text(s.path("junk.pub"), "not a key at all\n");
  rejected(scan(s, {pdf, "--public-key", s.path("junk.pub"), "--inbox", s.path("inbox"), "--station", "one"}),
           "not a kaappi public key");
  rejected(scan(s, {pdf, "--public-key", pub, "--inbox", s.path("inbox"), "--station-key", s.path("bad-station.key")}),
           "is damaged");
  rejected(s.kaappi({"station", "add", "office", s.path("bad-station.spk")}), "that is not a station public key");
  rejected(s.kaappi({"station", "add", "office", damaged(station_pub, std::string("kaappi-spk1:").size() + 5)}),
           "that is not a station public key");
  // Nothing changed: no envelope, the scan still there, no station added.
  CHECK(file_exists(pdf));
  CHECK(list(s, s.path("inbox")) == std::vector<std::string>{});
  CHECK(nlohmann::json::parse(s.kaappi({"station", "list", "--json"}).out)["stations"].empty());
}
