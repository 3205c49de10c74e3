// text_fold.h — folding text for case- and accent-insensitive search.
//
// fold_for_search() lower-cases and strips diacritics from Latin text, so
// that "Ärrä", "ARRA" and "arra" compare equal: ä/å/á/à/â/ã → a, ö/ø/ó/ò/ô/õ
// → o, ü/ú/ù/û → u, é/è/ê/ë → e, ß → ss, æ → ae, œ → oe, š → s, ž → z and the
// rest of Latin-1 and Latin Extended-A likewise. Runs of white space become
// one space. Bytes that are not valid UTF-8 are dropped. Other scripts pass
// through unchanged (lower-cased only where ASCII).
#pragma once

#include <string>
#include <string_view>

#include "base/utf8.h"  // is_valid_utf8, which the callers of fold_for_search use too

namespace kaappi {

std::string fold_for_search(std::string_view utf8);

}  // namespace kaappi
