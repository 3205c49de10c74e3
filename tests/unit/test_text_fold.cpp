// test_text_fold.cpp — search folding: case and accents.
#include <catch2/catch.hpp>

#include "base/text_fold.h"

using namespace kaappi;

TEST_CASE("Finnish and Swedish letters fold to their base letters", "[text_fold]") {
  CHECK(fold_for_search("Äijälä") == "aijala");
  CHECK(fold_for_search("ÖLJY") == "oljy");
  CHECK(fold_for_search("Åström") == "astrom");
  CHECK(fold_for_search("Ahlström Åke") == fold_for_search("AHLSTROM ake"));
  CHECK(fold_for_search("Šakki Žurnaali") == "sakki zurnaali");
  CHECK(fold_for_search("Müller Straße") == "muller strasse");
  CHECK(fold_for_search("Ærø Œuvre Łódź") == "aero oeuvre lodz");
}

TEST_CASE("white space collapses, invalid UTF-8 is dropped, other scripts pass", "[text_fold]") {
  CHECK(fold_for_search("  Oy \t Esimerkki\n Ab ") == "oy esimerkki ab");
  CHECK(fold_for_search(std::string("a\xff" "b")) == "ab");
  CHECK(fold_for_search("Ωmega") == "Ωmega");
  CHECK(is_valid_utf8("Äö"));
  CHECK_FALSE(is_valid_utf8("\xc3"));
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));  // a surrogate
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong
}
