// test_keys.cpp — init, key files, passphrases, wrong keys (end to end).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

TEST_CASE("init creates an archive and a 0600 key file that is never overwritten", "[keys]") {
  Sandbox s;
  std::string key = s.path("conf/new.key");
  write_text(s.path("newpass"), "a long and fresh passphrase\n");
  std::vector<std::string> base = {bin("kaappi"), "--archive", s.archive(), "--key", key, "--passphrase-file", s.path("newpass")};
  auto with = [&](std::vector<std::string> extra) {
    auto argv = base;
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  };
  Result r = s.run(with({"init", "--kdf", "interactive"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("kaappi-pk1:") != std::string::npos);
  const std::string init_out = r.out;
  struct stat st {};
  REQUIRE(::stat(key.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(s.archive().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK(r.err.find("example key") == std::string::npos);

  std::string before = read_text(key);
  r = s.run({bin("kaappi"), "--archive", s.path("other"), "--key", key, "--passphrase-file", s.path("newpass"), "init"});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("already exists and is never overwritten") != std::string::npos);
  CHECK(read_text(key) == before);
  CHECK_FALSE(file_exists(s.path("other/index.sqlite")));

  SECTION("key public prints the same public key, without a passphrase") {
    Result pub = s.run({bin("kaappi"), "--archive", s.archive(), "--key", key, "key", "public"});
    REQUIRE(pub.exit_code == 0);
    REQUIRE(pub.out.rfind("kaappi-pk1:", 0) == 0);
    CHECK(init_out.find(pub.out.substr(0, pub.out.size() - 1)) != std::string::npos);
  }
  SECTION("key passwd changes the passphrase; the old one stops working") {
    write_text(s.path("newer"), "an even newer passphrase\n");
    Result p = s.run(with({"key", "passwd", "--kdf", "interactive", "--new-passphrase-file", s.path("newer")}));
    INFO(p.err);
    REQUIRE(p.exit_code == 0);
    CHECK(::stat(key.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    Result old = s.run(with({"customer", "list"}));
    CHECK(old.exit_code == 3);
    CHECK(old.err.find("wrong passphrase for key file") != std::string::npos);
    Result fresh = s.run({bin("kaappi"), "--archive", s.archive(), "--key", key, "--passphrase-file", s.path("newer"),
                          "customer", "list"});
    CHECK(fresh.exit_code == 0);
  }
}

TEST_CASE("init refuses a key file inside the archive folder", "[keys]") {
  Sandbox s;
  Result r = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.archive() + "/my.key", "--passphrase-file",
                    s.pass(), "init", "--kdf", "interactive"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("must live apart from the archive") != std::string::npos);
  CHECK_FALSE(file_exists(s.archive() + "/my.key"));
}

TEST_CASE("global options work before and after the subcommand, and from the environment", "[keys]") {
  Sandbox s;
  s.init_archive_with_customer();
  Result a = s.run({bin("kaappi"), "--json", "--archive", s.archive(), "--key", s.key(), "verify"});
  Result b = s.run({bin("kaappi"), "verify", "--json", "--archive", s.archive(), "--key", s.key()});
  Result c = s.run({bin("kaappi"), "verify", "--json"}, {{"KAAPPI_ARCHIVE", s.archive()}, {"KAAPPI_KEY", s.key()}});
  REQUIRE(a.exit_code == 0);
  CHECK(a.out == b.out);
  CHECK(a.out == c.out);
  Result d = s.run({bin("kaappi"), "customer", "show", "1001"},
                   {{"KAAPPI_ARCHIVE", s.archive()}, {"KAAPPI_KEY", s.key()},
                    {"KAAPPI_PASSPHRASE_COMMAND", "echo kaappi-example-passphrase"}});
  INFO(d.err);
  CHECK(d.exit_code == 0);
  CHECK(d.out.find("Oy Testiasiakas Ab") != std::string::npos);
}

TEST_CASE("the example key warns every time it opens an archive", "[keys]") {
  Sandbox s;
  s.init_archive_with_customer();
  Result r = s.kaappi({"customer", "show", "1001"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("WARNING") != std::string::npos);
  CHECK(r.err.find("anyone can read it") != std::string::npos);
}

TEST_CASE("wrong passphrase, wrong key, missing key and no passphrase source are exit 3 and change nothing", "[keys]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string before = s.archive_fingerprint();

  SECTION("wrong passphrase") {
    write_text(s.path("bad"), "not the passphrase\n");
    Result r = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "--passphrase-file", s.path("bad"),
                      "customer", "add", "--number", "7", "--name", "X"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("wrong passphrase for key file " + s.key()) != std::string::npos);
  }
  SECTION("key of another archive") {
    std::string other = s.path("other.key");
    write_text(s.path("p2"), "second passphrase\n");
    Result i = s.run({bin("kaappi"), "--archive", s.path("a2"), "--key", other, "--passphrase-file", s.path("p2"),
                      "init", "--kdf", "interactive"});
    REQUIRE(i.exit_code == 0);
    Result r = s.run({bin("kaappi"), "--archive", s.archive(), "--key", other, "--passphrase-file", s.path("p2"),
                      "customer", "show", "1001"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("this key does not open archive " + s.archive()) != std::string::npos);
    Result v = s.run({bin("kaappi"), "--archive", s.archive(), "--key", other, "verify"});
    CHECK(v.exit_code == 3);
  }
  SECTION("missing key file") {
    Result r = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.path("nope.key"), "--passphrase-file",
                      s.pass(), "customer", "list"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("no key file at") != std::string::npos);
  }
  SECTION("no passphrase source and no terminal") {
    Result r = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "customer", "list"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("there is no terminal") != std::string::npos);
    CHECK(r.err.find("KAAPPI_PASSPHRASE_FILE") != std::string::npos);
  }
  SECTION("a failing passphrase command") {
    Result r = s.kaappi({"access-log"}, {});  // the key opens (a read that writes no read row)
    REQUIRE(r.exit_code == 0);
    Result f = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "customer", "list"},
                     {{"KAAPPI_PASSPHRASE_COMMAND", "exit 3"}});
    CHECK(f.exit_code == 3);
    CHECK(f.err.find("KAAPPI_PASSPHRASE_COMMAND failed") != std::string::npos);
  }
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("usage errors exit 2 with a clear message, help exits 0", "[cli]") {
  Sandbox s;
  CHECK(s.run({bin("kaappi"), "--help"}).exit_code == 0);
  Result h = s.run({bin("kaappi"), "import", "--help"});
  CHECK(h.exit_code == 0);
  CHECK(h.out.find("Examples") != std::string::npos);
  Result r = s.run({bin("kaappi"), "frobnicate"});
  CHECK(r.exit_code == 2);
  Result k = s.run({bin("kaappi"), "import", "x.pdf", "--customer", "1", "--kind", "poem"});
  CHECK(k.exit_code == 2);
  CHECK(k.err.find("kind") != std::string::npos);
}

TEST_CASE("key passwd through a symlinked key path changes the real file, keeps the link and the KDF cost",
          "[keys]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string real = s.path("real.key"), link = s.path("link.key");
  REQUIRE(s.run({"/bin/mv", s.key(), real}).exit_code == 0);
  REQUIRE(::symlink(real.c_str(), link.c_str()) == 0);
  write_text(s.path("newer"), "another passphrase for the linked key\n");
  auto kaappi_with = [&](const std::string& key, const std::string& pass, std::vector<std::string> args) {
    std::vector<std::string> argv = {bin("kaappi"), "--archive", s.archive(), "--key", key, "--passphrase-file", pass};
    argv.insert(argv.end(), args.begin(), args.end());
    return s.run(argv);
  };
  // keys.example is hashed at the "interactive" cost; no --kdf keeps it.
  Result p = kaappi_with(link, s.pass(), {"key", "passwd", "--new-passphrase-file", s.path("newer")});
  INFO(p.err);
  REQUIRE(p.exit_code == 0);
  CHECK(p.out == "Changed the passphrase of " + real + " (interactive cost)\n");
  struct stat st {};
  REQUIRE(::lstat(link.c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  REQUIRE(::stat(real.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(kaappi_with(real, s.path("newer"), {"customer", "list"}).exit_code == 0);
  CHECK(kaappi_with(link, s.path("newer"), {"customer", "list"}).exit_code == 0);
  CHECK(kaappi_with(real, s.pass(), {"customer", "list"}).exit_code == 3);
  // Asked for, another cost is taken.
  Result q = kaappi_with(link, s.path("newer"),
                         {"key", "passwd", "--kdf", "moderate", "--new-passphrase-file", s.path("newer"), "--json"});
  REQUIRE(q.exit_code == 0);
  CHECK(nlohmann::json::parse(q.out)["kdf"] == "moderate");
}

TEST_CASE("a short or very common new passphrase is warned about, naming the rule, and still taken", "[keys]") {
  Sandbox s;
  write_text(s.path("short"), "kahvi-tee\n");
  Result init = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.path("new.key"), "--passphrase-file",
                       s.path("short"), "init", "--kdf", "interactive"});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  CHECK_THAT(init.err, Catch::Contains("kaappi: warning: the new passphrase is weak (it is shorter than 12 "
                                       "characters); a phrase of several unrelated words is stronger\n"));
  write_text(s.path("common"), "PasswordPassword\n");
  Result passwd = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.path("new.key"), "--passphrase-file",
                         s.path("short"), "key", "passwd", "--new-passphrase-file", s.path("common")});
  INFO(passwd.err);
  REQUIRE(passwd.exit_code == 0);
  CHECK(passwd.err == "kaappi: warning: the new passphrase is weak (it is one of the most common passwords); a "
                      "phrase of several unrelated words is stronger\n");
  write_text(s.path("good"), "seven unrelated words make a passphrase\n");
  Result good = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.path("new.key"), "--passphrase-file",
                       s.path("common"), "key", "passwd", "--new-passphrase-file", s.path("good")});
  CHECK(good.exit_code == 0);
  CHECK(good.err.empty());
}

TEST_CASE("key passwd warns about a dressed-up common password, too few characters, a keyboard row or the published "
          "example passphrase, naming the rule, and still changes the passphrase",
          "[keys]") {
  Sandbox s;
  write_text(s.path("pass-0"), "a long and fresh passphrase\n");
  Result init = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.path("new.key"), "--passphrase-file",
                       s.path("pass-0"), "init", "--kdf", "interactive"});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  CHECK(init.err.empty());
  const std::vector<std::pair<std::string, std::string>> weak = {
      {"password1234", "it is a common password repeated or with digits or symbols added"},
      {"aaaaaaaaaaaaaaaa", "it has too few different characters"},
      {"qwertyuiopasdfgh", "it is a keyboard, alphabet or number sequence"},
      {"kaappi-example-passphrase", "it is the example passphrase published in keys.example"},
  };
  std::string current = s.path("pass-0");
  for (size_t i = 0; i < weak.size(); ++i) {
    const auto& [pass, rule] = weak[i];
    INFO(pass);
    std::string next = s.path("pass-" + std::to_string(i + 1));
    write_text(next, pass + "\n");
    Result passwd = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.path("new.key"), "--passphrase-file",
                           current, "key", "passwd", "--new-passphrase-file", next});
    INFO(passwd.err);
    REQUIRE(passwd.exit_code == 0);
    CHECK(passwd.err == "kaappi: warning: the new passphrase is weak (" + rule +
                            "); a phrase of several unrelated words is stronger\n");
    // The new passphrase opens the key, the old one no longer does.
    CHECK(s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.path("new.key"), "--passphrase-file", next,
                 "customer", "list"})
              .exit_code == 0);
    CHECK(s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.path("new.key"), "--passphrase-file", current,
                 "customer", "list"})
              .exit_code == 3);
    current = next;
  }
}
