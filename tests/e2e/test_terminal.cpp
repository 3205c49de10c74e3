// test_terminal.cpp — behaviour on a real terminal (a pty from script(1)):
// the passphrase prompt does not echo, a new passphrase typed differently the
// second time and a wrong one are asked again (three tries), and a PDF is
// never written to it.
#include <catch2/catch.hpp>

#include "harness.h"

using namespace e2e;

namespace {
// Runs COMMAND on a pseudo-terminal; `typed` lines are typed after a pause
// each, once the prompt has turned echo off.
Result on_terminal(const Sandbox& s, const std::string& command, const std::vector<std::string>& typed) {
  std::string feed = "(";
  for (const auto& line : typed) feed += "sleep 2; printf '%s\\n' '" + line + "'; ";
  feed += "sleep 3)";
  return s.run({"/bin/sh", "-c", feed + " | script -qfec \"" + command + "\" /dev/null"});
}
}  // namespace

TEST_CASE("init asks for the passphrase twice on the terminal, without echo", "[terminal]") {
  Sandbox s;
  std::string key = s.path("term.key");
  Result r = on_terminal(s, bin("kaappi") + " --archive " + s.archive() + " --key " + key + " init --kdf interactive",
                         {"terminal passphrase 42", "terminal passphrase 42"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("New passphrase for " + key) != std::string::npos);
  CHECK(r.out.find("Repeat the passphrase") != std::string::npos);
  CHECK(r.out.find("terminal passphrase 42") == std::string::npos);  // never echoed
  CHECK(file_exists(key));
  write_text(s.path("p"), "terminal passphrase 42\n");
  Result use = s.run({bin("kaappi"), "--archive", s.archive(), "--key", key, "--passphrase-file", s.path("p"),
                      "customer", "list"});
  CHECK(use.exit_code == 0);
}

TEST_CASE("on a terminal a new passphrase typed differently is asked again, three times at most", "[terminal]") {
  Sandbox s;
  std::string key = s.path("term.key");
  std::string init = bin("kaappi") + " --archive " + s.archive() + " --key " + key + " init --kdf interactive";
  Result r = on_terminal(s, init, {"first passphrase 1", "first passphrase 2", "terminal passphrase 42",
                                   "terminal passphrase 42"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("The two passphrases differ, try again. New passphrase for " + key) != std::string::npos);
  write_text(s.path("p"), "terminal passphrase 42\n");
  CHECK(s.run({bin("kaappi"), "--archive", s.archive(), "--key", key, "--passphrase-file", s.path("p"), "customer",
               "list"}).exit_code == 0);

  std::string other = s.path("other.key");
  Result no = on_terminal(s, bin("kaappi") + " --archive " + s.path("other") + " --key " + other +
                                 " init --kdf interactive",
                          {"a 1", "a 2", "b 1", "b 2", "c 1", "c 2"});
  INFO(no.out);
  CHECK(no.exit_code == 2);
  CHECK(no.out.find("the two passphrases differed 3 times; nothing was changed") != std::string::npos);
  CHECK_FALSE(file_exists(other));
  CHECK_FALSE(file_exists(s.path("other")));
}

TEST_CASE("on a terminal a wrong passphrase is asked again, three tries in all", "[terminal]") {
  Sandbox s;
  s.init_archive_with_customer();
  std::string list = bin("kaappi") + " --archive " + s.archive() + " --key " + s.key() + " customer list";
  Result third = on_terminal(s, list, {"wrong one", "wrong two", "kaappi-example-passphrase"});
  INFO(third.out);
  CHECK(third.exit_code == 0);
  CHECK(third.out.find("Wrong passphrase, try again (2 of 3). Passphrase for " + s.key()) != std::string::npos);
  CHECK(third.out.find("Wrong passphrase, try again (3 of 3). Passphrase for " + s.key()) != std::string::npos);
  CHECK(third.out.find("1001") != std::string::npos);

  Result none = on_terminal(s, list, {"wrong one", "wrong two", "wrong three"});
  INFO(none.out);
  CHECK(none.exit_code == 3);
  CHECK(none.out.find("wrong passphrase for key file " + s.key()) != std::string::npos);
  CHECK(none.out.find("1001") == std::string::npos);
}

TEST_CASE("get refuses to write a PDF to a terminal", "[terminal]") {
  Sandbox s;
  s.init_archive_with_customer();
  long id = s.import({s.make_pdf("a.pdf")}).at(0);
  Result r = on_terminal(s, bin("kaappi") + " --archive " + s.archive() + " --key " + s.key() +
                                " --passphrase-file " + s.pass() + " get " + std::to_string(id) +
                                " -o - --reason look",
                         {});
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("refusing to write a PDF to the terminal") != std::string::npos);
  CHECK(r.out.find("%PDF") == std::string::npos);
}
