// printable.h — text made safe to show on a terminal: the one rule by which
// both front ends (kaappi, kaappi-scan) print names, messages and log lines.
//
// A file name, a PDF title, a customer's field or a station's metadata can
// hold anything. Shown raw, a control character can move the cursor or
// rewrite the screen, and a bidirectional override can make "fdp.exe" show
// as "exe.pdf". printable() escapes each C0 control character, DEL and byte
// that is not part of UTF-8 as \xNN, and each C1 control character
// (U+0080-U+009F), bidirectional formatting character (U+061C, U+200E,
// U+200F, U+202A-U+202E, U+2066-U+2069) and line or paragraph separator
// (U+2028, U+2029) as \uXXXX. Everything else, letters of any script
// included, is kept as it is.
#pragma once

#include <string>
#include <string_view>

namespace kaappi::frontend {

std::string printable(std::string_view text);

}  // namespace kaappi::frontend
