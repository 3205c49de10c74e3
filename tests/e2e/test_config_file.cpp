// test_config_file.cpp — the settings files of kaappi and kaappi-scan, end
// to end with the real programs: a file supplying the archive and key so the
// everyday commands need no options; option over environment over file over
// default; config show naming each value's source; every broken file
// stopping every command (exit 4, naming file and line, nothing changed)
// while --help and --version still answer; kaappi-scan's station file
// (KAAPPI_SCAN_CONFIG) with the user's file over it; watch's folder from it.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.h"

using namespace e2e;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string user_config(const Sandbox& s) { return s.dir() + "/home/config/kaappi/config"; }

void write_user_config(const Sandbox& s, const std::string& text) {
  ::mkdir((s.dir() + "/home/config").c_str(), 0700);
  ::mkdir((s.dir() + "/home/config/kaappi").c_str(), 0700);
  write_text(user_config(s), text);
}

// kaappi with only the passphrase file given: the archive and key from elsewhere.
Result bare(const Sandbox& s, const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> argv = {bin("kaappi"), "--passphrase-file", s.pass()};
  argv.insert(argv.end(), args.begin(), args.end());
  return s.run(argv, env);
}

// config show --json's settings by name: {value, source}.
std::map<std::string, std::pair<std::string, std::string>> shown(const Result& r) {
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::pair<std::string, std::string>> out;
  const nlohmann::json shown = nlohmann::json::parse(r.out);
  for (const auto& s : shown.at("settings"))
    out[s.at("name").get<std::string>()] = {s.at("value").is_null() ? "" : s.at("value").get<std::string>(),
                                            s.at("source").get<std::string>()};
  return out;
}

const Sandbox& archive_fixture() {
  static Sandbox fixture = [] {
    Sandbox s;
    s.init_archive_with_customer();
    return s;
  }();
  return fixture;
}

}  // namespace

TEST_CASE("kaappi: a settings file names the archive and key, so commands need no options", "[config]") {
  Sandbox s;
  s.copy_from(archive_fixture());
  Result r = bare(s, {"customer", "show", "1001"});
  REQUIRE(r.exit_code != 0);  // without the file: the default archive, which is not there
  write_user_config(s, "# the office archive\narchive = " + s.archive() + "\n\nkey = " + s.key() + "\n");
  r = bare(s, {"customer", "show", "1001"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "1001"));
  // ~/ is the user's home.
  write_text(s.dir() + "/home/moved.key", read_text(s.key()));
  write_user_config(s, "archive = " + s.archive() + "\nkey = ~/moved.key\n");
  r = bare(s, {"config", "show", "--json"});
  CHECK(shown(r)["key"].first == s.dir() + "/home/moved.key");
  CHECK(bare(s, {"customer", "show", "1001"}).exit_code == 0);
}

TEST_CASE("kaappi: an option wins over the environment, which wins over the settings file, then the default", "[config]") {
  Sandbox s;
  s.copy_from(archive_fixture());
  const std::string file = user_config(s);
  write_user_config(s, "archive = /file/archive\nkey = " + s.key() + "\ninbox = /file/inbox\npublic_key = /file/archive.pub\n"
                       "backup = rclone:office:kaappi\n");
  const std::map<std::string, std::string> env = {{"KAAPPI_ARCHIVE", "/env/archive"}, {"KAAPPI_INBOX", "/env/inbox"}};

  auto all = shown(bare(s, {"--archive", "/option/archive", "config", "show", "--json"}, env));
  CHECK(all["archive"] == std::make_pair(std::string("/option/archive"), std::string("option")));
  CHECK(all["inbox"] == std::make_pair(std::string("/env/inbox"), std::string("environment KAAPPI_INBOX")));
  CHECK(all["key"] == std::make_pair(s.key(), file + ":2"));
  CHECK(all["public_key"] == std::make_pair(std::string("/file/archive.pub"), file + ":4"));
  CHECK(all["backup"] == std::make_pair(std::string("rclone:office:kaappi"), file + ":5"));

  all = shown(bare(s, {"config", "show", "--json"}, env));
  CHECK(all["archive"] == std::make_pair(std::string("/env/archive"), std::string("environment KAAPPI_ARCHIVE")));
  all = shown(bare(s, {"config", "show", "--json"}));
  CHECK(all["archive"] == std::make_pair(std::string("/file/archive"), file + ":1"));
  CHECK(all["inbox"] == std::make_pair(std::string("/file/inbox"), file + ":3"));

  write_user_config(s, "# nothing set\n");
  all = shown(bare(s, {"config", "show", "--json"}));
  CHECK(all["archive"] == std::make_pair(s.dir() + "/home/data/kaappi/archive", std::string("default")));
  CHECK(all["key"] == std::make_pair(s.dir() + "/home/config/kaappi/kaappi.key", std::string("default")));
  CHECK(all["inbox"] == std::make_pair(s.dir() + "/home/data/kaappi/archive/inbox", std::string("default")));
  CHECK(all["public_key"] == std::make_pair(std::string(""), std::string("not set")));
  CHECK(all["backup"] == std::make_pair(std::string(""), std::string("not set")));
  CHECK(all["register_texts"] ==
        std::make_pair(s.dir() + "/home/config/kaappi/register-texts", std::string("default")));
  CHECK(all["inspection_free_per_year"] == std::make_pair(std::string("1"), std::string("default")));

  // What is decided is what the commands use: the file's wrong archive loses to the environment's.
  write_user_config(s, "archive = /file/archive\nkey = " + s.key() + "\n");
  Result r = bare(s, {"customer", "show", "1001"}, {{"KAAPPI_ARCHIVE", s.archive()}});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  r = bare(s, {"--archive", s.archive(), "customer", "show", "1001"}, {{"KAAPPI_ARCHIVE", "/env/archive"}});
  CHECK(r.exit_code == 0);
  // verify takes the public key from the file (a wrong one fails, the right one passes without the key
  // file), and --public-key wins over it.
  write_text(s.path("real.pub"), s.kaappi({"key", "public"}).out);
  write_text(s.path("other.pub"), "kaappi-pk1:nonsense\n");
  write_user_config(s, "archive = " + s.archive() + "\nkey = /no/such.key\npublic_key = " + s.path("other.pub") + "\n");
  r = s.run({bin("kaappi"), "verify"});
  CHECK(r.exit_code != 0);
  r = s.run({bin("kaappi"), "verify", "--public-key", s.path("real.pub")});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  write_user_config(s, "archive = " + s.archive() + "\nkey = /no/such.key\npublic_key = " + s.path("real.pub") + "\n");
  r = s.run({bin("kaappi"), "verify"});
  CHECK(r.exit_code == 0);
}

TEST_CASE("kaappi config show: a table of each setting, its value and where it came from", "[config]") {
  Sandbox s;
  write_user_config(s, "\narchive = /srv/archive\n");
  Result r = s.run({bin("kaappi"), "--key", "/k.key", "config", "show"}, {{"KAAPPI_INBOX", "/srv/inbox"}});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "NAME\tVALUE\tSOURCE\n"
                 "archive\t/srv/archive\t" + user_config(s) + ":2\n"
                 "key\t/k.key\toption\n"
                 "inbox\t/srv/inbox\tenvironment KAAPPI_INBOX\n"
                 "public_key\t\tnot set\n"
                 "backup\t\tnot set\n"
                 "register_texts\t" + s.dir() + "/home/config/kaappi/register-texts\tdefault\n"
                 "inspection_free_per_year\t1\tdefault\n");
  CHECK(contains(r.err, "settings file " + user_config(s)));
  // KAAPPI_CONFIG names another file instead, which must exist.
  write_text(s.path("office.conf"), "key = /office.key\n");
  auto all = shown(s.run({bin("kaappi"), "config", "show", "--json"}, {{"KAAPPI_CONFIG", s.path("office.conf")}}));
  CHECK(all["key"] == std::make_pair(std::string("/office.key"), s.path("office.conf") + ":1"));
  CHECK(all["archive"].second == "default");
  r = s.run({bin("kaappi"), "config", "show"}, {{"KAAPPI_CONFIG", s.path("missing.conf")}});
  CHECK(r.exit_code == 5);
  CHECK(r.err == "kaappi: the settings file " + s.path("missing.conf") + " does not exist\n");
  CHECK(s.run({bin("kaappi"), "config", "show", "--help"}).out.find("Examples:") != std::string::npos);
}

TEST_CASE("kaappi: a broken settings file stops every command, naming the file and line, and changes nothing", "[config]") {
  Sandbox s;
  s.copy_from(archive_fixture());
  const std::string file = user_config(s);
  const std::string before = s.archive_fingerprint();
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"archive = /a\narchve = /secret-place\n", file + ":2: unknown setting 'archve'; did you mean 'archive'?"},
      {"key = /a\nkey = /secret-place\n", file + ":2: 'key' is set twice (first on line 1)"},
      {"# ok\n/secret-place\n", file + ":2: no '=' on the line (each setting is a line NAME = VALUE)"},
      {"inbox =\n", file + ":1: 'inbox' has no value"},
      {"key = /secret\xff-place\n", file + ":1: the line is not UTF-8 text"},
      {"key = /secret\x1b-place\n", file + ":1: the line holds a control character"},
  };
  for (const auto& c : cases) {
    write_user_config(s, c.text);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"customer", "add", "--number", "1002", "--name", "Toinen Oy"},
          std::vector<std::string>{"customer", "show", "1001"}, std::vector<std::string>{"config", "show"},
          std::vector<std::string>{"status"}}) {
      Result r = s.kaappi(args);  // even with --archive and --key given
      INFO(c.message);
      CHECK(r.exit_code == 4);
      CHECK(r.err == "kaappi: " + c.message + "\n");
      CHECK_FALSE(contains(r.err, "secret"));
    }
    CHECK(s.archive_fingerprint() == before);
    // --help and --version still answer.
    CHECK(s.run({bin("kaappi"), "--help"}).exit_code == 0);
    CHECK(s.run({bin("kaappi"), "customer", "show", "--help"}).exit_code == 0);
    CHECK(s.run({bin("kaappi"), "--version"}).exit_code == 0);
  }
  // Not a regular file: a link, a FIFO, a folder.
  ::unlink(file.c_str());
  write_text(s.path("real.conf"), "archive = " + s.archive() + "\n");
  REQUIRE(::symlink(s.path("real.conf").c_str(), file.c_str()) == 0);
  Result r = s.kaappi({"customer", "show", "1001"});
  CHECK(r.exit_code == 4);
  CHECK(r.err == "kaappi: the settings file " + file + " is a symbolic link, not a regular file\n");
  ::unlink(file.c_str());
  REQUIRE(::mkfifo(file.c_str(), 0600) == 0);
  r = s.kaappi({"customer", "show", "1001"});
  CHECK(r.exit_code == 4);
  CHECK(r.err == "kaappi: the settings file " + file + " is a FIFO, not a regular file\n");
  ::unlink(file.c_str());
  REQUIRE(::mkdir(file.c_str(), 0700) == 0);
  r = s.kaappi({"customer", "show", "1001"});
  CHECK(r.exit_code == 4);
  CHECK(r.err == "kaappi: the settings file " + file + " is a folder, not a regular file\n");
  ::rmdir(file.c_str());
  write_user_config(s, "# " + std::string(70 * 1024, 'x') + "\n");
  r = s.kaappi({"customer", "show", "1001"});
  CHECK(r.exit_code == 4);
  CHECK(r.err == "kaappi: the settings file " + file + " is larger than 64 KiB\n");
  CHECK(s.archive_fingerprint() == before);
}

TEST_CASE("kaappi-scan: the station's settings file, the user's over it, and the options over both", "[config][scanner]") {
  Sandbox s;
  s.init_archive_with_station();
  const std::string station_conf = s.path("kaappi-scan.conf");
  const std::string user_conf = s.dir() + "/home/config/kaappi-scan/config";
  s.run({"/bin/mkdir", "-p", s.path("station-inbox"), s.path("user-inbox"), s.path("scans"), s.dir() + "/home/config/kaappi-scan"});
  write_text(station_conf, "# the office scanner\npublic_key = " + s.path("archive.pub") + "\ninbox = " +
                               s.path("station-inbox") + "\nstation = desk\n");
  const std::map<std::string, std::string> env = {{"KAAPPI_SCAN_CONFIG", station_conf}};

  Result r = s.run({bin("kaappi-scan"), "config", "show", "--json"}, env);
  auto all = shown(r);
  CHECK(all["public_key"] == std::make_pair(s.path("archive.pub"), station_conf + ":2"));
  CHECK(all["inbox"] == std::make_pair(s.path("station-inbox"), station_conf + ":3"));
  CHECK(all["station"] == std::make_pair(std::string("desk"), station_conf + ":4"));
  CHECK(all["station_key"] == std::make_pair(s.dir() + "/home/config/kaappi-scan/desk.key", std::string("default")));
  CHECK(all["watch"] == std::make_pair(std::string(""), std::string("not set")));

  // No options: the station's file says where to seal to.
  std::string pdf = s.make_pdf("a.pdf");
  r = s.run({bin("kaappi-scan"), pdf}, env);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(folder_entries(s.path("station-inbox")).size() == 1);

  // The user's file overrides the station's, name by name.
  write_text(user_conf, "inbox = " + s.path("user-inbox") + "\n");
  all = shown(s.run({bin("kaappi-scan"), "config", "show", "--json"}, env));
  CHECK(all["inbox"] == std::make_pair(s.path("user-inbox"), user_conf + ":1"));
  CHECK(all["public_key"].second == station_conf + ":2");
  pdf = s.make_pdf("b.pdf");
  CHECK(s.run({bin("kaappi-scan"), pdf}, env).exit_code == 0);
  CHECK(folder_entries(s.path("user-inbox")).size() == 1);

  // The environment over the files, the option over the environment.
  all = shown(s.run({bin("kaappi-scan"), "config", "show", "--json", "--inbox", "/option/inbox"},
                    {{"KAAPPI_SCAN_CONFIG", station_conf}, {"KAAPPI_INBOX", "/env/inbox"}}));
  CHECK(all["inbox"] == std::make_pair(std::string("/option/inbox"), std::string("option")));
  all = shown(s.run({bin("kaappi-scan"), "config", "show", "--json"},
                    {{"KAAPPI_SCAN_CONFIG", station_conf}, {"KAAPPI_INBOX", "/env/inbox"}}));
  CHECK(all["inbox"] == std::make_pair(std::string("/env/inbox"), std::string("environment KAAPPI_INBOX")));

  r = s.run({bin("kaappi-scan"), "config", "show"}, env);
  CHECK(contains(r.out, "NAME\tVALUE\tSOURCE\n"));
  CHECK(contains(r.out, "station\tdesk\t" + station_conf + ":4\n"));

  // A broken file stops kaappi-scan too, and a named file must exist.
  write_text(user_conf, "inbx = /x\n");
  pdf = s.make_pdf("c.pdf");
  r = s.run({bin("kaappi-scan"), pdf}, env);
  CHECK(r.exit_code == 4);
  CHECK(r.err == "kaappi-scan: " + user_conf + ":1: unknown setting 'inbx'; did you mean 'inbox'?\n");
  CHECK(file_exists(pdf));
  CHECK(s.run({bin("kaappi-scan"), "--help"}).exit_code == 0);
  ::unlink(user_conf.c_str());
  r = s.run({bin("kaappi-scan"), "config", "show"}, {{"KAAPPI_SCAN_CONFIG", s.path("missing.conf")}});
  CHECK(r.exit_code == 5);
  CHECK(contains(r.err, "the settings file " + s.path("missing.conf") + " does not exist"));
}

TEST_CASE("kaappi-scan watch: the folder from the settings file, or a clear error when there is none", "[config][scanner]") {
  Sandbox s;
  s.init_archive_with_station();
  s.run({"/bin/mkdir", "-p", s.path("inbox"), s.path("scans")});
  const std::string conf = s.path("kaappi-scan.conf");
  write_text(conf, "public_key = " + s.path("archive.pub") + "\ninbox = " + s.path("inbox") + "\n");
  Result r = s.run({bin("kaappi-scan"), "watch"}, {{"KAAPPI_SCAN_CONFIG", conf}});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "name the folder to watch: kaappi-scan watch DIR, or watch in the settings file"));

  write_text(conf, read_text(conf) + "watch = " + s.path("scans") + "\n");
  const std::string log = s.path("watch.log");
  int pid = s.spawn({bin("kaappi-scan"), "watch", "--settle", "1"}, log, {{"KAAPPI_SCAN_CONFIG", conf}});
  REQUIRE(pid > 0);
  std::string pdf = s.make_pdf("a.pdf");
  REQUIRE(::rename(pdf.c_str(), s.path("scans/a.pdf").c_str()) == 0);
  bool sealed = eventually([&] { return folder_entries(s.path("inbox")).size() == 1; }, 30);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  INFO(read_text(log) + read_text(log + ".err"));
  CHECK(sealed);
}

TEST_CASE("kaappi: a settings file other users may change is refused, naming why", "[config]") {
  Sandbox s;
  s.copy_from(archive_fixture());
  write_user_config(s, "archive = " + s.archive() + "\nkey = " + s.key() + "\n");
  ::chmod(user_config(s).c_str(), 0666);
  Result r = bare(s, {"customer", "list"});
  CHECK(r.exit_code == 4);
  CHECK(contains(r.err, "may be changed by other users"));
  ::chmod(user_config(s).c_str(), 0644);
  CHECK(bare(s, {"customer", "list"}).exit_code == 0);
}

TEST_CASE("kaappi lock wipes the unlocked key even when the settings file is broken", "[config]") {
  Sandbox s;
  s.copy_from(archive_fixture());
  ::mkdir(s.path("runtime").c_str(), 0700);
  const std::map<std::string, std::string> env = {{"XDG_RUNTIME_DIR", s.path("runtime")}};
  REQUIRE(s.kaappi({"unlock", "--timeout", "2m"}, env).exit_code == 0);
  write_user_config(s, "bogus = 1\n");
  Result status = s.kaappi({"status", "--json"}, env);
  CHECK(status.exit_code == 4);
  Result lock = s.run({bin("kaappi"), "lock"}, env);
  INFO(lock.err);
  CHECK(lock.exit_code == 0);
  write_user_config(s, "");
  Result after = s.kaappi({"status", "--json"}, env);
  INFO(after.out);
  CHECK(nlohmann::json::parse(after.out)["unlocked"] == false);
}
