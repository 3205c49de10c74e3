// test_customer_view.cpp — one customer, all of it (customer show --all, its
// --json), and documents' filters (--kind, --since, --until, --names) end to
// end, with every refusal leaving the archive as it was.
#include <ctime>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;
using nlohmann::json;

namespace {

// Customer 1001 (rectified once), customer 2000; documents:
//   1 contract, 2 pages, imported for 1001
//   2 consent-form, 1 page, imported for 1001
//   3 other, ingested from station desk for 1001
//   4 contract, imported for 2000
//   5 other, ingested from desk without a customer
// and 1001's consent events: email-marketing granted by document 2 from
// 2026-01-10, ban-distance-selling in force from 2026-02-01 by phone.
const Sandbox& fixture() {
  static Sandbox s = [] {
    Sandbox f;
    f.init_archive_with_station();
    kaappi_ok(f, {"customer", "add", "--number", "2000", "--name", "Toinen Oy"});
    kaappi_ok(f, {"customer", "edit", "1001", "--email", "uusi@example.fi", "--reason", "customer moved"});
    kaappi_ok(f, {"import", f.make_pdf("contract.pdf", {"--pages", "2", "--form", "contract", "--seed", "11"}),
                  "--customer", "1001", "--kind", "contract"});
    kaappi_ok(f, {"import", f.make_pdf("form.pdf", {"--seed", "12"}), "--customer", "1001", "--kind", "consent-form"});
    scan_as_desk(f, f.make_pdf("scan.pdf", {"--seed", "13"}));
    kaappi_ok(f, {"ingest", "--customer", "1001", "--kind", "other"});
    kaappi_ok(f, {"import", f.make_pdf("other.pdf", {"--seed", "14"}), "--customer", "2000", "--kind", "contract"});
    scan_as_desk(f, f.make_pdf("loose.pdf", {"--seed", "15"}));
    kaappi_ok(f, {"ingest", "--kind", "other"});
    kaappi_ok(f, {"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state", "granted",
                  "--document", "2", "--effective", "2026-01-10"});
    kaappi_ok(f, {"consent", "set", "--customer", "1001", "--purpose", "ban-distance-selling", "--state", "granted",
                  "--source", "phone", "--effective", "2026-02-01"});
    return f;
  }();
  return s;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The lines of `text`.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The ids in a documents table (its first column), the header left out.
std::vector<std::string> ids_in(const std::string& table) {
  std::vector<std::string> ids;
  auto lines = lines_of(table);
  for (size_t i = 1; i < lines.size(); ++i) ids.push_back(lines[i].substr(0, lines[i].find('\t')));
  return ids;
}

// The local date `days` after `date` (YYYY-MM-DD).
std::string day_after(const std::string& date, int days) {
  std::tm t{};
  t.tm_year = std::stoi(date.substr(0, 4)) - 1900;
  t.tm_mon = std::stoi(date.substr(5, 2)) - 1;
  t.tm_mday = std::stoi(date.substr(8, 2)) + days;
  t.tm_hour = 12;
  t.tm_isdst = -1;
  std::mktime(&t);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &t);
  return buf;
}

// Each document's imported time as the archive shows it.
std::map<long, std::string> imported_times(const Sandbox& s) {
  Result r = s.kaappi({"documents", "--json"});
  REQUIRE(r.exit_code == 0);
  std::map<long, std::string> out;
  const json listed = json::parse(r.out);
  for (const auto& d : listed["documents"]) out[d["id"].get<long>()] = d["imported"];
  INFO(r.out);
  REQUIRE(out.size() == 5);
  return out;
}

}  // namespace

TEST_CASE("customer show --all: the record, its history, documents, consents with their proofs, open requests",
          "[customer-view]") {
  Sandbox s;
  s.copy_from(fixture());
  const auto imported = imported_times(s);
  Result plain = s.kaappi({"customer", "show", "1001"});
  Result history = s.kaappi({"customer", "history", "1001"});
  Result consents = s.kaappi({"consent", "show", "1001"});
  Result events = s.kaappi({"consent", "history", "1001"});
  Result all = s.kaappi({"customer", "show", "1001", "--all"});
  INFO(all.err);
  REQUIRE(all.exit_code == 0);

  // Each section under its heading holds what its own command prints.
  const std::string expected =
      "Record\n------\n" + plain.out +                                        //
      "\nHistory\n-------\n" + history.out +                                  //
      "\nDocuments\n---------\n"                                              //
      "  #1    contract      2 pages  imported " + imported.at(1) + "  by kaappi import\n"
      "  #2    consent-form  1 page   imported " + imported.at(2) + "  by kaappi import\n"
      "  #3    other         1 page   imported " + imported.at(3) + "  from station desk\n"
      "\nConsents and bans\n-----------------\n" + consents.out + "\n" + events.out +  //
      "\nOpen requests and holds\n-----------------------\n  none\n";
  CHECK(all.out == expected);
  // and those hold what the fixture recorded
  CHECK(has(plain.out, "E-mail:             uusi@example.fi\n"));
  CHECK(has(history.out, "Version 2  "));
  CHECK(has(history.out, "reason: customer moved\n  email: \"anna.asiakas@example.fi\" -> \"uusi@example.fi\"\n"));
  CHECK(has(consents.out, "email-marketing         granted since 2026-01-10, proven by document 2 [event 1]"));
  CHECK(has(consents.out, "ban-distance-selling    IN FORCE since 2026-02-01 (phone) [event 2]"));
  CHECK(has(events.out, "  #1  email-marketing        granted   effective 2026-01-10"));
  CHECK(has(events.out, "source signed-form (document 2)"));
  CHECK(has(events.out, "source phone"));

  SECTION("a customer with nothing but the record says so in each section") {
    Result other = s.kaappi({"customer", "show", "2000", "--all"});
    REQUIRE(other.exit_code == 0);
    CHECK(has(other.out, "\nDocuments\n---------\n  #4    contract      1 page   imported " + imported.at(4) +
                             "  by kaappi import\n"));
    CHECK(has(other.out, "No consent events recorded for customer 2000.\n"));
    CHECK(has(other.out, "email-marketing         no record\n"));
    CHECK(has(other.out, "\nOpen requests and holds\n-----------------------\n  none\n"));
    CHECK_FALSE(has(other.out, "#1 "));
  }
}

TEST_CASE("customer show --all --json carries the same sections in each command's own JSON form", "[customer-view]") {
  Sandbox s;
  s.copy_from(fixture());
  Result r = s.kaappi({"customer", "show", "1001", "--all", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json view = json::parse(r.out);
  CHECK(view["customer"] == json::parse(s.kaappi({"customer", "show", "1001", "--json"}).out));
  CHECK(view["history"] == json::parse(s.kaappi({"customer", "history", "1001", "--json"}).out)["versions"]);
  CHECK(view["history"].size() == 2);
  CHECK(view["documents"] == json::parse(s.kaappi({"documents", "--customer", "1001", "--json"}).out)["documents"]);
  REQUIRE(view["documents"].size() == 3);
  CHECK(view["documents"][0]["station"] == nullptr);
  CHECK(view["documents"][2]["station"] == "desk");
  CHECK(view["documents"][0]["pages"] == 2);
  json shown = json::parse(s.kaappi({"consent", "show", "1001", "--json"}).out);
  CHECK(view["consents"]["as_of"] == shown["as_of"]);
  CHECK(view["consents"]["states"] == shown["consents"]);
  CHECK(view["consents"]["events"] == json::parse(s.kaappi({"consent", "history", "1001", "--json"}).out)["events"]);
  CHECK(view["consents"]["events"][0]["document"] == 2);
  CHECK(view["requests_and_holds"] == json::array());
  CHECK(view.size() == 5);
}

TEST_CASE("customer show --all of an unknown customer is refused as customer show refuses it, nothing changed",
          "[customer-view]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string before = s.archive_fingerprint();
  Result plain = s.kaappi({"customer", "show", "9999"});
  Result all = s.kaappi({"customer", "show", "9999", "--all"});
  Result json_all = s.kaappi({"customer", "show", "9999", "--all", "--json"});
  CHECK(plain.exit_code == 5);
  CHECK(all.exit_code == plain.exit_code);
  CHECK(json_all.exit_code == plain.exit_code);
  CHECK(all.err == plain.err);
  CHECK(has(all.err, "no customer with that number"));
  CHECK(all.out.empty());
  CHECK(json_all.out.empty());
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("documents --names, --kind, --since and --until, alone and with --customer or --unassigned",
          "[customer-view][documents]") {
  Sandbox s;
  s.copy_from(fixture());
  const auto imported = imported_times(s);
  const std::string today = imported.at(1).substr(0, 10);
  REQUIRE(imported.at(5).substr(0, 10) == today);  // made in one go (a fixture built across midnight: run again)
  auto ids = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "documents");
    Result r = s.kaappi(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return ids_in(r.out);
  };
  using V = std::vector<std::string>;

  CHECK(ids({}) == V{"1", "2", "3", "4", "5"});
  CHECK(ids({"--kind", "contract"}) == V{"1", "4"});
  CHECK(ids({"--kind", "other"}) == V{"3", "5"});
  CHECK(ids({"--kind", "contract", "--customer", "1001"}) == V{"1"});
  CHECK(ids({"--kind", "other", "--unassigned"}) == V{"5"});
  CHECK(ids({"--since", today, "--until", today}) == V{"1", "2", "3", "4", "5"});  // both ends inclusive
  CHECK(ids({"--since", today}) == V{"1", "2", "3", "4", "5"});
  CHECK(ids({"--until", today, "--customer", "2000"}) == V{"4"});
  CHECK(ids({"--since", day_after(today, 1)}).empty());
  CHECK(ids({"--until", day_after(today, -1)}).empty());
  CHECK(ids({"--since", day_after(today, -30), "--until", day_after(today, -1)}).empty());

  SECTION("a kind no document has gives the header only") {
    Result r = s.kaappi({"documents", "--kind", "consent-form", "--unassigned"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "ID\tCUSTOMER\tKIND\tPAGES\tSIZE\tIMPORTED\tFILE\n");
    CHECK(has(r.err, "\nkaappi: no unassigned documents\n"));
  }

  SECTION("--names adds each customer's current name, empty for an unassigned document") {
    Result r = s.kaappi({"documents", "--names"});
    REQUIRE(r.exit_code == 0);
    auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] == "ID\tCUSTOMER\tNAME\tKIND\tPAGES\tSIZE\tIMPORTED\tFILE");
    CHECK(lines[1].rfind("1\t1001\tOy Testiasiakas Ab\tcontract\t2\t", 0) == 0);
    CHECK(lines[3].rfind("3\t1001\tOy Testiasiakas Ab\tother\t1\t", 0) == 0);
    CHECK(lines[4].rfind("4\t2000\tToinen Oy\tcontract\t1\t", 0) == 0);
    CHECK(lines[5].rfind("5\t-\t\tother\t1\t", 0) == 0);
    Result without = s.kaappi({"documents"});
    CHECK_FALSE(has(without.out, "Testiasiakas"));
    CHECK(lines_of(without.out)[0] == "ID\tCUSTOMER\tKIND\tPAGES\tSIZE\tIMPORTED\tFILE");

    json named = json::parse(s.kaappi({"documents", "--names", "--kind", "contract", "--json"}).out)["documents"];
    REQUIRE(named.size() == 2);
    CHECK(named[0]["customer_name"] == "Oy Testiasiakas Ab");
    CHECK(named[1]["customer_name"] == "Toinen Oy");
    json loose = json::parse(s.kaappi({"documents", "--names", "--unassigned", "--json"}).out)["documents"];
    REQUIRE(loose.size() == 1);
    CHECK(loose[0]["customer_name"] == nullptr);
    json unnamed = json::parse(s.kaappi({"documents", "--json"}).out)["documents"];
    CHECK_FALSE(unnamed[0].contains("customer_name"));
  }

  SECTION("the name is the current one: a rectified name shows at once") {
    kaappi_ok(s, {"customer", "edit", "2000", "--name", "Toinen Oyj", "--reason", "company form changed"});
    Result r = s.kaappi({"documents", "--names", "--customer", "2000"});
    CHECK(lines_of(r.out).at(1).rfind("4\t2000\tToinen Oyj\tcontract\t", 0) == 0);
  }
}

TEST_CASE("documents refuses a bad date, a range that ends before it starts and a misspelt kind, before the "
          "passphrase, nothing changed",
          "[customer-view][documents]") {
  Sandbox s;
  s.copy_from(fixture());
  const std::string before = s.archive_fingerprint();
  // No passphrase can be had: a refusal that asked for it would say so instead.
  const std::map<std::string, std::string> no_passphrase = {{"KAAPPI_PASSPHRASE_FILE", s.path("no-such-file")}};
  auto refused = [&](const std::vector<std::string>& args, const std::string& message) {
    std::vector<std::string> argv = {bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "documents"};
    argv.insert(argv.end(), args.begin(), args.end());
    Result r = s.run(argv, no_passphrase);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "kaappi: " + message + " (see kaappi documents --help)\n");
  };
  refused({"--since", "2026-02-30"}, "--since must be a date like 2026-01-31, not '2026-02-30'");
  refused({"--until", "31.1.2026"}, "--until must be a date like 2026-01-31, not '31.1.2026'");
  refused({"--since", "2026-03-01", "--until", "2026-02-28", "--customer", "1001"},
          "--since 2026-03-01 is after --until 2026-02-28: no day is in that range; give the earlier date first");
  refused({"--kind", "invoice"}, "--kind must be consent-form, contract or other, not 'invoice'");
  // the same date twice is a range of one day, not a refusal
  Result one_day = s.kaappi({"documents", "--since", "2026-03-01", "--until", "2026-03-01"});
  CHECK(one_day.exit_code == 0);
  CHECK(has(one_day.err, "\nkaappi: no documents\n"));

  Result unknown = s.kaappi({"documents", "--customer", "9999", "--kind", "contract"});
  CHECK(unknown.exit_code == 5);
  CHECK(has(unknown.err, "no customer with that number"));
  CHECK(s.archive_fingerprint() == before);
}
