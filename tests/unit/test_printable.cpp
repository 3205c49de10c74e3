// test_printable.cpp — what the front ends show of untrusted text: control
// characters, bidirectional overrides and bytes that are not UTF-8 never
// reach the terminal raw; every other character does, unchanged.
#include <catch2/catch.hpp>

#include "base/utf8.h"
#include "format/scan_file_name.h"
#include "frontend/printable.h"

using kaappi::frontend::printable;

TEST_CASE("printable escapes control and bidirectional characters and keeps every other", "[printable]") {
  CHECK(printable("scan\n1.pdf") == "scan\\x0a1.pdf");
  CHECK(printable("\x1b[2J\r\t\x7f") == "\\x1b[2J\\x0d\\x09\\x7f");
  CHECK(printable(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(printable("c1 \xc2\x85 \xc2\x9b") == "c1 \\u0085 \\u009b");
  CHECK(printable("invoice \xe2\x80\xae" "fdp.exe") == "invoice \\u202efdp.exe");  // U+202E RIGHT-TO-LEFT OVERRIDE
  for (const char* bidi : {"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x81\xa6",
                           "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9", "\xe2\x80\x8e", "\xe2\x80\x8f", "\xd8\x9c",
                           "\xe2\x80\xa8", "\xe2\x80\xa9"}) {
    INFO(bidi);
    std::string shown = printable(std::string("x") + bidi + "y");
    CHECK_THAT(shown, Catch::StartsWith("x\\u") && Catch::EndsWith("y"));
    CHECK(shown.size() == 8);
  }
  CHECK(printable("K\xe4\xe4nt\xf6") == "K\\xe4\\xe4nt\\xf6");  // Latin-1, not UTF-8
  CHECK(printable("cut \xe2\x80") == "cut \\xe2\\x80");
  for (const char* kept : {"Anna \xc3\x84\xc3\xa4ri\xc3\xb6 \xe2\x80\x94 \xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x93\x84",
                           "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d.pdf", "plain text: 100% (ok) \\x41"}) {
    INFO(kept);
    CHECK(printable(kept) == kept);
  }
}

// One definition of a control character (base/utf8): what a terminal is never
// shown raw is what a scan's file name may not hold, code point for code point.
TEST_CASE("printable and the scan file-name rule agree on every control character", "[printable][utf8]") {
  for (char32_t c = 1; c < 0x3000; ++c) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    std::string text = "a";
    kaappi::append_utf8(c, text);
    INFO("U+" << std::hex << static_cast<unsigned>(c));
    const bool control = (c < 0x20) || (c >= 0x7f && c <= 0x9f);
    CHECK(kaappi::is_control_character(c) == control);
    CHECK((kaappi::scan_file_name_problem(text) == "holds a '/' or a control character") == (control || c == '/'));
    if (control) CHECK(printable(text) != text);
  }
  CHECK_FALSE(kaappi::is_control_character(0xa0));
  CHECK(kaappi::is_control_character(0));
}
