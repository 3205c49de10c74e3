// test_usage_error.cpp — the nearest-name rule behind "did you mean", and the
// wording of a usage error, on a small command tree of its own.
#include <catch2/catch.hpp>

#include "frontend/usage_error.h"

using kaappi::frontend::closest_name;
using kaappi::frontend::edit_distance;
using kaappi::frontend::usage_error_text;

TEST_CASE("edit distance counts inserts, deletes, replacements and swapped neighbours, ignoring case", "[usage]") {
  CHECK(edit_distance("documents", "documents") == 0);
  CHECK(edit_distance("Documents", "dOCUMENTS") == 0);
  CHECK(edit_distance("documnets", "documents") == 1);  // two neighbours swapped
  CHECK(edit_distance("documens", "documents") == 1);   // one left out
  CHECK(edit_distance("documentss", "documents") == 1);
  CHECK(edit_distance("docxments", "documents") == 1);
  CHECK(edit_distance("", "get") == 3);
  CHECK(edit_distance("get", "") == 3);
  CHECK(edit_distance("verify", "import") == 6);
  CHECK(edit_distance("ab", "ba") == 1);
  CHECK(edit_distance("abc", "ca") == 3);  // optimal string alignment, not full Damerau
}

TEST_CASE("the closest name is offered only when few enough letters differ", "[usage]") {
  std::vector<std::string> commands = {"documents", "document", "get", "import", "ingest", "verify"};
  CHECK(closest_name("documnets", commands) == "documents");
  CHECK(closest_name("verfy", commands) == "verify");
  CHECK(closest_name("ingset", commands) == "ingest");
  // Short words allow one edit: "gt" is "get", "xy" is nothing.
  CHECK(closest_name("gt", commands) == "get");
  CHECK_FALSE(closest_name("xy", commands).has_value());
  // A third of the letters at most: "imprtt" (2 edits in 6) is near, "xmpxrx" is not.
  CHECK(closest_name("imprtt", commands) == "import");
  CHECK_FALSE(closest_name("xmpxrx", commands).has_value());
  // Never more than three edits, however long the word.
  CHECK_FALSE(closest_name("verifyxxxxxxxxxx", commands).has_value());
  // Leading dashes are not letters: "--cutsomer" is one swap from "--customer".
  CHECK(closest_name("--cutsomer", {"--customer", "--kind"}) == "--customer");
  CHECK_FALSE(closest_name("--q", {"--customer", "--kind"}).has_value());
  CHECK_FALSE(closest_name("anything", {}).has_value());
}

TEST_CASE("a usage error names the unknown word, the nearest valid one and the failing command's help", "[usage]") {
  CLI::App app{"test", "kaappi"};
  CLI::App* consent = app.add_subcommand("consent", "");
  CLI::App* set = consent->add_subcommand("set", "");
  std::string purpose;
  set->add_option("--purpose", purpose);
  app.add_subcommand("documents", "");

  auto error_for = [&](std::vector<std::string> args) -> std::string {
    std::reverse(args.begin(), args.end());
    try {
      app.clear();
      app.parse(args);
    } catch (const CLI::ParseError& e) {
      return usage_error_text(app, e);
    }
    return "";
  };
  CHECK(error_for({"documnets"}) == "unknown command 'documnets'; did you mean 'documents'? (see kaappi --help)");
  CHECK(error_for({"consent", "set", "--purpsoe", "x"}) ==
        "unknown option '--purpsoe'; did you mean '--purpose'? (see kaappi consent set --help)");
  CHECK(error_for({"consent", "set", "--purpose=x", "--zzzzzz=1"}) ==
        "unknown option '--zzzzzz' (see kaappi consent set --help)");
}
