// utf8.h — reading UTF-8 one code point at a time: the one decoder of
// kaappi's text rules (search folding, the file-name rule of scans, what a
// front end may print raw), and what a control character is.
#pragma once

#include <string>
#include <string_view>

namespace kaappi {

// Decodes the code point at text[at] into `code_point` and moves `at` past
// it. Bytes that are not UTF-8 there (a stray or cut sequence, an overlong
// form, a surrogate, beyond U+10FFFF): returns false and moves `at` by one
// byte.
bool decode_utf8(std::string_view text, size_t& at, char32_t& code_point);

// Appends the UTF-8 form of a code point (at most U+10FFFF, not a surrogate).
void append_utf8(char32_t code_point, std::string& out);

// True when the text is valid UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text);

// A control character: C0 (U+0000-U+001F), DEL (U+007F) or C1 (U+0080-U+009F).
// The one definition kaappi's text rules share (a scan's file name, what a
// terminal is shown raw).
bool is_control_character(char32_t code_point);

}  // namespace kaappi
