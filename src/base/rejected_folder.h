// rejected_folder.h — setting a refused input aside: the one rule kaappi-scan
// watch (its scan folder) and kaappi ingest (the inbox) follow.
//
// FOLDER/NAME is moved, by renaming its directory entry on the held folder,
// into FOLDER/rejected/, with NAME.reason (the reason and a newline) beside
// it. Whatever the entry is — a file, a FIFO, a symbolic link, a folder — it
// is moved as it is: nothing is opened, read or followed, and a link's target
// stays where it is. Once moved, an entry of the user's is made private (a
// file 0600, a folder 0700, as the reason file is), whatever mode it had or
// the umask is. A name already taken in rejected/ gets a number in front
// ("2-NAME", up to "999-NAME"); nothing there is replaced, and the name it got
// is returned. When all those names are taken, nothing is written and the
// entry stays where it was. Both folders are synced.
//
// rejected/ is made 0700 when missing. It can be used only when it is a real
// folder (never reached through a link planted there) that belongs to the
// user running kaappi, or to the owner of FOLDER (a share that shows every
// file as its owner's): anyone else could empty or change what is set aside.
// One of the user's own that others may read or write is made private first
// (its group and other permissions taken away, as kaappi's folders are 0700).
#pragma once

#include <string>

#include "base/file_io.h"

namespace kaappi {

// FOLDER/rejected, held. Throws ErrorKind::rejected naming it, and what it is,
// when it cannot be used (a link, a file, a FIFO, another user's folder).
Dir open_rejected_folder(const Dir& folder);
// Moves FOLDER/NAME into `rejected` (from open_rejected_folder(folder)) with
// its reason; returns its name there. Throws when it cannot (no free name
// left, the move fails): nothing of it is left in rejected/ then.
std::string set_aside(const Dir& folder, const Dir& rejected, const std::string& name, const std::string& reason);
// Both in one.
std::string move_to_rejected(const Dir& folder, const std::string& name, const std::string& reason);

}  // namespace kaappi
