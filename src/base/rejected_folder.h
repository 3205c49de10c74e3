// rejected_folder.h — setting a refused input aside: the one rule kaappi-scan
// watch (its scan folder) and kaappi ingest (the inbox) follow.
//
// FOLDER/NAME is moved, by renaming its directory entry on the held folder,
// into FOLDER/rejected/ (made 0700 if missing; never reached through a link
// planted as rejected/), with NAME.reason (the reason and a newline) beside
// it. Whatever the entry is — a file, a FIFO, a symbolic link, a folder — it
// is moved as it is: nothing is opened, read or followed, and a link's target
// stays where it is. A name already taken in rejected/ gets a number in front
// ("2-NAME"); nothing there is replaced. Both folders are synced.
#pragma once

#include <string>

#include "base/file_io.h"

namespace kaappi {

void move_to_rejected(const Dir& folder, const std::string& name, const std::string& reason);

}  // namespace kaappi
