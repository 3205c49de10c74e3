// test_config_file.cpp — base/config_file: the strict reader of settings
// files (each rule: comments and blanks, trimming, unknown names with the
// closest known one, a name twice, no '=', no name, an empty value, bytes not
// UTF-8, control characters, ~/; a link, FIFO or folder refused, the size
// bound, a missing file), and frontend/settings's precedence rule.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "base/config_file.h"
#include "base/error.h"
#include "base/file_io.h"
#include "frontend/settings.h"

using namespace kaappi;

namespace {

const std::vector<std::string> k_names = {"archive", "key", "inbox", "public_key"};

struct TempFolder {
  std::string path;
  TempFolder() {
    char t[] = "/tmp/kaappi-config-XXXXXX";
    REQUIRE(::mkdtemp(t));
    path = t;
  }
  ~TempFolder() { std::system(("rm -rf '" + path + "'").c_str()); }
};

void put(const std::string& path, const std::string& text) {
  write_file_atomic(path, as_bytes(text), 0600, Overwrite::yes, "test");
}

// The error parsing `text` as the file "conf" fails with; "" if it does not.
std::string refusal(const std::string& text, ErrorKind* kind = nullptr) {
  try {
    parse_config_text(text, "conf", k_names);
  } catch (const Error& e) {
    if (kind) *kind = e.kind();
    return e.what();
  }
  return "";
}

std::string read_refusal(const std::string& path, ErrorKind* kind = nullptr) {
  try {
    read_config_file(path, k_names, IfMissing::no_settings);
  } catch (const Error& e) {
    if (kind) *kind = e.kind();
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a settings file: names, values, comments and blank lines, where each value was written") {
  auto s = parse_config_text("# kaappi settings\n\n  archive =  /srv/archive  \n\tkey\t=\t/home/ceo/k.key\n"
                             "   # indented comment\ninbox=/srv/inbox#not a comment\n",
                             "/etc/conf", k_names);
  REQUIRE(s.size() == 3);
  CHECK(s["archive"].value == "/srv/archive");
  CHECK(s["archive"].line == 3);
  CHECK(s["archive"].origin() == "/etc/conf:3");
  CHECK(s["key"].value == "/home/ceo/k.key");
  CHECK(s["key"].line == 4);
  CHECK(s["inbox"].value == "/srv/inbox#not a comment");  // a # only starts a comment line
  CHECK(s["inbox"].file == "/etc/conf");
  CHECK(parse_config_text("", "conf", k_names).empty());
  CHECK(parse_config_text("archive = a = b", "conf", k_names)["archive"].value == "a = b");  // the first = splits
  CHECK(parse_config_text("archive = /a", "conf", k_names)["archive"].line == 1);         // no final line break
}

TEST_CASE("a settings file's value starting with ~/ is under HOME") {
  const char* old = std::getenv("HOME");
  std::string saved = old ? old : "";
  ::setenv("HOME", "/home/ceo", 1);
  CHECK(parse_config_text("archive = ~/archive\nkey = /x/~/k", "conf", k_names)["archive"].value == "/home/ceo/archive");
  CHECK(parse_config_text("key = /x/~/k", "conf", k_names)["key"].value == "/x/~/k");
  ::unsetenv("HOME");
  CHECK(refusal("archive = ~/archive") == "conf:1: a value starts with ~/ but HOME is not set");
  if (old) ::setenv("HOME", saved.c_str(), 1);
}

TEST_CASE("a settings file's mistakes are refused naming the file and line, never the value") {
  ErrorKind kind = ErrorKind::internal;
  CHECK(refusal("archive = /a\narchve = /secret-path", &kind) ==
        "conf:2: unknown setting 'archve'; did you mean 'archive'?");
  CHECK(kind == ErrorKind::rejected);
  CHECK(refusal("colour = blue") == "conf:1: unknown setting 'colour'");
  CHECK(refusal("archive = /a\n\nkey = /k\narchive = /secret-path") == "conf:4: 'archive' is set twice (first on line 1)");
  CHECK(refusal("# ok\n/secret-path") == "conf:2: no '=' on the line (each setting is a line NAME = VALUE)");
  CHECK(refusal(" = /secret-path") == "conf:1: no name before '='");
  CHECK(refusal("key =   \t") == "conf:1: 'key' has no value");
  CHECK(refusal("key = /a\xff" "b") == "conf:1: the line is not UTF-8 text");
  CHECK(refusal("# \xc3\x28") == "conf:1: the line is not UTF-8 text");  // in a comment too
  CHECK(refusal("key = /a\x1b[31m") == "conf:1: the line holds a control character");
  CHECK(refusal("key = /a\r\n") == "conf:1: the line holds a control character");  // a CR: not a file of this system
  CHECK(refusal(std::string("key = /a\0b", 10)) == "conf:1: the line holds a control character");
  CHECK(refusal("key = /\xc2\x85") == "conf:1: the line holds a control character");  // C1
  CHECK(parse_config_text("key = /tiedostot/äö €", "conf", k_names)["key"].value == "/tiedostot/äö €");
}

TEST_CASE("a settings file must be a regular file of at most 64 KiB, and a missing one is no settings") {
  TempFolder t;
  const std::string file = t.path + "/config";
  CHECK(read_config_file(file, k_names, IfMissing::no_settings).empty());
  ErrorKind kind = ErrorKind::internal;
  try {
    read_config_file(file, k_names, IfMissing::fail);
    FAIL("a missing file named to be read was accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::not_found);
    CHECK(std::string(e.what()) == "the settings file " + file + " does not exist");
  }

  put(t.path + "/real", "archive = /a\n");
  REQUIRE(::symlink((t.path + "/real").c_str(), file.c_str()) == 0);
  CHECK(read_refusal(file, &kind) == "the settings file " + file + " is a symbolic link, not a regular file");
  CHECK(kind == ErrorKind::rejected);
  REQUIRE(::unlink(file.c_str()) == 0);

  REQUIRE(::mkfifo(file.c_str(), 0600) == 0);  // opened without blocking, then refused
  CHECK(read_refusal(file, &kind) == "the settings file " + file + " is a FIFO, not a regular file");
  REQUIRE(::unlink(file.c_str()) == 0);

  REQUIRE(::mkdir(file.c_str(), 0700) == 0);
  CHECK(read_refusal(file, &kind) == "the settings file " + file + " is a folder, not a regular file");
  REQUIRE(::rmdir(file.c_str()) == 0);

  std::string big = "# " + std::string(k_config_file_max_size, 'x') + "\n";
  put(file, big);
  CHECK(read_refusal(file, &kind) == "the settings file " + file + " is larger than 64 KiB");
  CHECK(kind == ErrorKind::rejected);

  put(file, "# just under the bound\n" + std::string(k_config_file_max_size - 40, '#') + "\nkey = /k\n");
  CHECK(read_config_file(file, k_names, IfMissing::no_settings)["key"].origin() == file + ":3");

  put(file, "key = /k\nkye = /x\n");
  CHECK(read_refusal(file) == file + ":2: unknown setting 'kye'; did you mean 'key'?");
}

TEST_CASE("a user's settings file overrides the system's, name by name, and where a user's file is") {
  ConfigSettings system = parse_config_text("archive = /sys\nkey = /sys.key", "/etc/conf", k_names);
  override_settings(system, parse_config_text("key = /user.key", "/home/u/conf", k_names));
  CHECK(system["archive"].origin() == "/etc/conf:1");
  CHECK(system["key"].value == "/user.key");
  CHECK(system["key"].origin() == "/home/u/conf:1");

  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  std::string saved_xdg = xdg ? xdg : "", saved_home = home ? home : "";
  ::setenv("XDG_CONFIG_HOME", "/x/config", 1);
  ::setenv("HOME", "/home/u", 1);
  CHECK(user_config_path("kaappi") == "/x/config/kaappi/config");
  ::setenv("XDG_CONFIG_HOME", "relative", 1);  // not absolute: ignored, as the XDG rules say
  CHECK(user_config_path("kaappi-scan") == "/home/u/.config/kaappi-scan/config");
  ::unsetenv("XDG_CONFIG_HOME");
  ::unsetenv("HOME");
  CHECK(user_config_path("kaappi").empty());
  if (xdg) ::setenv("XDG_CONFIG_HOME", saved_xdg.c_str(), 1);
  if (home) ::setenv("HOME", saved_home.c_str(), 1);
}

TEST_CASE("a setting's value: option over environment over settings file over default") {
  ConfigSettings file = parse_config_text("archive = /file", "conf", k_names);
  ::setenv("KAAPPI_TEST_SETTING", "/env", 1);
  auto s = frontend::decide_setting("archive", "/opt", "KAAPPI_TEST_SETTING", file, "/default");
  CHECK(s.value == "/opt");
  CHECK(s.source == "option");
  s = frontend::decide_setting("archive", "", "KAAPPI_TEST_SETTING", file, "/default");
  CHECK(s.value == "/env");
  CHECK(s.source == "environment KAAPPI_TEST_SETTING");
  ::setenv("KAAPPI_TEST_SETTING", "", 1);  // empty: not set
  s = frontend::decide_setting("archive", "", "KAAPPI_TEST_SETTING", file, "/default");
  CHECK(s.value == "/file");
  CHECK(s.source == "conf:1");
  ::unsetenv("KAAPPI_TEST_SETTING");
  s = frontend::decide_setting("key", "", "KAAPPI_TEST_SETTING", file, "/default");
  CHECK(s.value == "/default");
  CHECK(s.source == "default");
  s = frontend::decide_setting("key", "", "", file, "");
  CHECK_FALSE(s.is_set());
  CHECK(s.source == "not set");
}
