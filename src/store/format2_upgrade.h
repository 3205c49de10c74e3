// format2_upgrade.h — the upgrade step from format 1 (schema version 4) to
// format 2 (docs/FORMAT.md, "Upgrade from format 1"), run inside the
// upgrade's transaction: it checks the format-1 archive (every row
// signature, the chain, the signed head, and that it continues the head this
// machine remembers), then drops the per-row signatures and the head, and
// signs the whole history anew as transaction 1, whose last row names the
// format-1 head it continues.
#pragma once

#include "store/schema.h"

namespace kaappi {

void upgrade_format1_to_2(sqlite3* db, const UpgradeContext& context);

}  // namespace kaappi
