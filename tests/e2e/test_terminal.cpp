// test_terminal.cpp — behaviour on a real terminal (a pty from script(1)):
// the passphrase prompt does not echo, and a PDF is never written to it.
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
