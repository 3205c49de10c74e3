// test_front_ends.cpp — what kaappi and kaappi-scan share through
// frontend/run_main: --version, and errors as one line plus an exit code;
// and the examples in every command's help.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "harness.h"

using namespace e2e;

TEST_CASE("kaappi --version prints the project's version", "[front-end]") {
  Sandbox s;
  Result r = s.run({bin("kaappi"), "--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "kaappi " KAAPPI_VERSION "\n");
  CHECK(r.err.empty());
}

TEST_CASE("kaappi-scan --version prints the project's version", "[front-end]") {
  Sandbox s;
  Result r = s.run({bin("kaappi-scan"), "--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "kaappi-scan " KAAPPI_VERSION "\n");
  CHECK(r.err.empty());
}

TEST_CASE("a parse error is one line on stderr and exit code 2 in both front ends", "[front-end]") {
  Sandbox s;
  Result k = s.run({bin("kaappi"), "--no-such-option", "verify"});
  CHECK(k.exit_code == 2);
  CHECK(k.err.rfind("kaappi: ", 0) == 0);
  CHECK(k.err == "kaappi: unknown option '--no-such-option' (see kaappi verify --help)\n");
  Result scan = s.run({bin("kaappi-scan"), "--no-such-option"});
  CHECK(scan.exit_code == 2);
  CHECK(scan.err.rfind("kaappi-scan: ", 0) == 0);
  CHECK(scan.err.find("(see kaappi-scan --help)\n") != std::string::npos);
}

TEST_CASE("the library's fields are named as each front end's flags", "[front-end]") {
  Sandbox s;
  s.init_archive_with_customer();
  Result source = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state",
                            "granted", "--source", "fax"});
  CHECK(source.exit_code == 2);
  CHECK(source.err.find("kaappi: --source must be signed-form, email, phone, web-form or other, not 'fax' "
                                "(see kaappi consent set --help)\n") !=
        std::string::npos);
  Result document = s.kaappi({"consent", "set", "--customer", "1001", "--purpose", "email-marketing", "--state",
                              "granted", "--source", "signed-form"});
  CHECK(document.exit_code == 2);
  CHECK(document.err.find("kaappi: a signed form is evidence only with its document: add --document ID (see kaappi "
                                  "consent set --help)\n") !=
        std::string::npos);
  Result reason = s.kaappi({"get", "1", "-o", s.path("out.pdf"), "--reason", " "});
  CHECK(reason.exit_code == 2);
  CHECK(reason.err.find("kaappi: say why you read this document: --reason TEXT (it is recorded in the access log) "
                              "(see kaappi get --help)\n") !=
        std::string::npos);
  Result output = s.kaappi({"get", "1", "-o", "", "--reason", "look"});
  CHECK(output.exit_code == 2);
  CHECK(output.err.find("kaappi: name the output: -o FILE, or -o - for standard output (see kaappi get --help)\n") != std::string::npos);
  Result key = s.run({bin("kaappi-scan"), "a.pdf", "--public-key", s.path("missing.pub"), "--inbox", s.dir()});
  CHECK(key.exit_code == 5);  // a file named that is not there
  CHECK(key.err.rfind("kaappi-scan: --public-key is neither the kaappi-pk1:... text nor a file: ", 0) == 0);
}

namespace {

// One command of a program as its help shows it: the words after the program
// name ({"consent", "set"}), its --help output, and the subcommands it lists.
struct HelpPage {
  std::vector<std::string> path;
  std::string text;
  std::vector<std::string> subcommands;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The names under "Subcommands:" (each such line is two spaces, then the name).
std::vector<std::string> subcommands_listed(const std::string& help) {
  std::vector<std::string> names;
  bool in_list = false;
  for (const auto& line : lines_of(help)) {
    if (line == "Subcommands:") in_list = true;
    else if (line.empty()) in_list = false;
    else if (in_list && line.rfind("  ", 0) == 0 && line[2] != ' ')
      names.push_back(line.substr(2, line.find(' ', 2) - 2));
  }
  return names;
}

// Every command of `program`, found by following the subcommands each --help lists.
std::vector<HelpPage> help_pages(const Sandbox& s, const std::string& program) {
  std::vector<HelpPage> pages;
  std::vector<std::vector<std::string>> to_visit = {{}};
  while (!to_visit.empty()) {
    HelpPage page{to_visit.back(), "", {}};
    to_visit.pop_back();
    std::vector<std::string> argv = {bin(program)};
    argv.insert(argv.end(), page.path.begin(), page.path.end());
    argv.push_back("--help");
    Result r = s.run(argv);
    INFO(program << " " << Catch::Detail::stringify(page.path) << " --help: " << r.err);
    REQUIRE(r.exit_code == 0);
    page.text = r.out;
    page.subcommands = subcommands_listed(r.out);
    for (const auto& sub : page.subcommands) {
      to_visit.push_back(page.path);
      to_visit.back().push_back(sub);
    }
    pages.push_back(page);
  }
  return pages;
}

// The words of a command line as the shell splits them, up to the first
// pipe, redirection or comment; quotes ("..." or '...') are removed, and
// --option=value is two words.
std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"' || c == '\'') {
      std::size_t end = line.find(c, i + 1);
      word += line.substr(i + 1, end - i - 1);
      in_word = true;
      i = end == std::string::npos ? line.size() : end;
    } else if (c == ' ' || (c == '=' && word.rfind("-", 0) == 0)) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = c == '=';
    } else if (!in_word && (c == '|' || c == '<' || c == '>' || c == '#')) {
      return words;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

// A placeholder stands for the user's own value: capitals and punctuation
// only, no digit (NUMBER, ID, WHY, DATE, FOLDER/*), before an optional
// file-name ending (FILE.pdf, FILE.json).
bool is_placeholder(const std::string& word) {
  std::string stem = word.substr(0, word.find('.'));
  bool capital = false;
  for (char c : stem) {
    if (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c))) return false;
    capital = capital || std::isupper(static_cast<unsigned char>(c));
  }
  return capital;
}

}  // namespace

// The rule (README, "Using kaappi"): an example that changes anything is never
// shown with real-looking values, so pasting it as written changes nothing.
// An example line is a help line that starts with two spaces and a program's
// name. Its command is found by following the words that name subcommands.
// If that command is not one of the read-only commands listed here, every
// word of the line up to a pipe, redirection or comment that is not the
// program, a command name or an option (-o, --reason, - for standard output)
// must be a placeholder, unless it is the value of an option that says where
// the archive's files are or which kind of thing is meant (the list below):
// customer numbers, document and event ids, station names, files acted on,
// reasons, notes, dates and personal data are placeholders.
TEST_CASE("no help example of a command that writes shows real-looking values", "[front-end]") {
  const std::set<std::string> read_only = {
      "kaappi key public",         "kaappi customer show",    "kaappi customer list", "kaappi customer history",
      "kaappi customer export",    "kaappi documents",        "kaappi access-log",    "kaappi consent show",
      "kaappi consent history",    "kaappi consent list",     "kaappi verify",        "kaappi station list",
      "kaappi status",             "kaappi config show",      "kaappi-scan config show",
      "kaappi verify-backup",      "kaappi request list",     "kaappi hold list",     "kaappi hold rule list",
      "kaappi retention due"};
  const std::set<std::string> setting_options = {"--archive", "--key",   "--inbox", "--public-key", "--kdf",
                                                 "--purpose", "--state", "--kind",  "--source",
                                                 "--timeout", "--hard-limit", "--channel", "--identity-checked-with", "--from",
                                                 "--lang"};
  Sandbox s;
  std::map<std::string, std::vector<HelpPage>> programs = {{"kaappi", help_pages(s, "kaappi")},
                                                           {"kaappi-scan", help_pages(s, "kaappi-scan")}};
  auto name_of = [](const std::string& program, const std::vector<std::string>& path) {
    std::string name = program;
    for (const auto& word : path) name += " " + word;
    return name;
  };
  std::map<std::string, const HelpPage*> commands;  // by full name: "kaappi consent set"
  for (const auto& [program, pages] : programs)
    for (const auto& page : pages) commands[name_of(program, page.path)] = &page;
  for (const auto& name : read_only) CHECK(commands.count(name) == 1);  // the list names real commands

  std::set<std::string> with_examples;
  std::vector<std::string> offending;
  for (const auto& [page_program, pages] : programs) {
    for (const auto& page : pages) {
      for (const auto& line : lines_of(page.text)) {
        std::vector<std::string> words = shell_words(line);
        if (line.rfind("  ", 0) != 0 || words.empty() || programs.count(words[0]) == 0) continue;
        std::vector<std::string> path;
        std::vector<bool> names_command(words.size(), false);
        for (std::size_t i = 1; i < words.size(); ++i) {
          const auto& subs = commands.at(name_of(words[0], path))->subcommands;
          if (std::find(subs.begin(), subs.end(), words[i]) == subs.end()) continue;
          path.push_back(words[i]);
          names_command[i] = true;
        }
        std::string command = name_of(words[0], path);
        with_examples.insert(command);
        if (read_only.count(command) != 0) continue;
        for (std::size_t i = 1; i < words.size(); ++i) {
          const std::string& w = words[i];
          bool option = w.rfind("-", 0) == 0;
          bool setting = setting_options.count(words[i - 1]) != 0;
          if (names_command[i] || option || setting || is_placeholder(w)) continue;
          offending.push_back(name_of(page_program, page.path) + " --help: '" + w + "' in " + line.substr(2));
        }
      }
    }
  }
  for (const auto& o : offending) UNSCOPED_INFO(o);
  CHECK(offending.empty());
  // The rule is checked on an example of every command that writes and has no subcommands.
  for (const auto& [name, page] : commands)
    if (page->subcommands.empty() && read_only.count(name) == 0) CHECK(with_examples.count(name) == 1);
}
