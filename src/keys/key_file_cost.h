// key_file_cost.h — the named cost a key file's passphrase is hashed with,
// so that `key passwd` keeps it unless told otherwise.
#pragma once

#include <optional>

#include "keys/key_file.h"

namespace kaappi {

// The KdfCost::named cost whose parameters the key file has; none for other
// parameters (a key file not made by kaappi).
std::optional<KdfCost> named_kdf_cost(const KeyFile& file);

}  // namespace kaappi
