// file_kind.h — a path of the wrong kind, said one way: the one wording every
// refusal of a file or folder that is not the kind it had to be uses ("X is a
// folder, not a regular file"; "it is a FIFO, not a folder"), in kaappi and
// kaappi-scan alike. What a mode is comes from file_kind (base/file_io.h).
#pragma once

#include <sys/types.h>

#include <string>

namespace kaappi {

// "<subject> is <file_kind(mode)>, not <expected>": a path (or "it", in a
// reason put after its name) that is not the kind it had to be.
std::string wrong_kind(const std::string& subject, mode_t mode, const std::string& expected);

}  // namespace kaappi
