// scan_station.h — what kaappi-scan does with each scanned file: check it as
// kaappi import does (pdf/pdf_input.h) and that it is a PDF the helper can
// open (in a limited child process), seal it into an
// envelope in the inbox, and only then remove the plaintext (or move it to a
// keep folder). Uses only public-key code (kaappi_public).
#pragma once

#include <sys/stat.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/file_io.h"
#include "base/file_version.h"
#include "base/stop_request.h"
#include "format/envelope.h"
#include "pdf/pdf_probe.h"

namespace kaappi {

struct StationOptions {
  ArchivePublicKey archive;
  std::string inbox;
  std::string keep_dir;  // empty: delete the plaintext once sealed
  std::uint64_t max_size = 4ull << 30;
};


struct ScanOutcome {
  enum class Status {
    refused,        // not sealed (not a PDF, broken, too big, ...): message says why; the file is left where it was
    not_found,      // not sealed: the file named is not there
    changed,        // not sealed: it changed, or its name was replaced or moved, while it was sealed; its
                    // envelope was removed, the file left
    sealed,         // sealed, and the file removed or moved to the keep folder
    left_in_place,  // sealed, but the file could not be removed or moved to the keep folder: message says why
                    // (it is still where it was; seal it again and the archive gets it twice)
  };
  std::string file;
  Status status = Status::refused;
  std::string envelope;  // path in the inbox
  std::string sealed_name;  // the name sealed with it: the file's own, cleaned to fit format/scan_file_name.h
  std::int64_t pages = 0;
  Message message;       // why it was refused, or left in place (may name max_size)
  FileVersion version;   // the version of the file that was sealed
  bool sealed() const { return status == Status::sealed || status == Status::left_in_place; }
};

// Reads the archive's public key from its text or from a file holding it.
ArchivePublicKey read_archive_public_key(const std::string& text_or_path);
// The default station key path for a name: $XDG_CONFIG_HOME/kaappi-scan/NAME.key.
std::string default_station_key_path(const std::string& name);
// The station key to use: the named one, or the only one there is.
std::string find_station_key(const std::string& name);

// Checks the inbox and the keep folder (if any) before anything is sealed:
// folders the user named to write into (PathRole::user_output), so one that
// is missing, not a folder or not writable is ErrorKind::rejected, naming
// it; a link where one belongs is refused as Dir::open refuses it.
void check_station_folders(const StationOptions& options);

// Checks, before anything is sealed, that a scan read from `folder` can be
// moved to the keep folder (if any) once sealed: the keep folder must be
// another folder than `folder` (a kept scan would stay where it is, and a
// watch would seal it again and again) on the same file system (a kept scan
// is moved, never copied). ErrorKind::rejected naming both; `which` says
// what `folder` is ("the watched folder", "the folder of x.pdf").
void check_keep_folder_for(const StationOptions& options, const std::string& folder, const std::string& which);

// After sealing: removes FOLDER/NAME, or moves it to the keep folder (under
// its own name, or "name (2)" ... if taken), only if it is the file that was
// sealed. Everything goes through the held folder, never by path: the entry
// is first renamed to a hidden name in FOLDER (".kaappi-sealed-" and random
// hex), and only when that is `sealed` (device, inode, size and time) is it
// removed or moved; anything else (a file renamed into NAME meanwhile) is
// renamed back and left as it is. Throws when it cannot (the file is then
// back under NAME, unless another took the name meanwhile: the message says
// where it is). DirSync::deferred leaves the fsyncs of FOLDER and the keep
// folder to the caller (once for a batch), who must do them before relying
// on the file being gone.
void put_away_sealed(const StationOptions& options, const Dir& folder, const std::string& name,
                     const FileVersion& sealed, DirSync dir_sync = DirSync::now);

// Seals FOLDER/NAME (never through a link there), under its own name cleaned
// to fit the rule ingest reads names by (format/scan_file_name.h). A refused
// file (not a PDF, broken, too big, changed while it was read) is left where
// it was and reported. Only failures before its envelope is complete and
// durable throw (disk full, an unwritable inbox, a link where the inbox
// belongs); nothing of the envelope is left then, and the file is where it
// was. Once its envelope is durable, the file is sealed whatever fails: it
// is never reported as not sealed, and one that cannot be removed or moved
// to the keep folder (put_away_sealed) is reported left_in_place, saying why.
// A batch of one file (seal_scans, below).
ScanOutcome seal_scan(ProbeService& probes, const StationKey& station, const StationOptions& options,
                      const Dir& folder, const std::string& name);
// The same for a file named by path (kaappi-scan FILE...): its folder is
// held as named (links followed); the file itself is never followed.
ScanOutcome seal_scan(ProbeService& probes, const StationKey& station, const StationOptions& options,
                      const std::string& file);

// One file's result from seal_scans: its outcome, or (failure set) the
// error that kept it from being sealed, as seal_scan would have thrown it
// (nothing of its envelope is left, and the file is where it was).
struct ScanResult {
  ScanOutcome outcome;
  std::optional<Error> failure;
};

// Seals many files named by path as seal_scan seals each, in batches (at
// most 32 files or 256 MiB), so that a batch pays for one inbox fsync and
// one fsync of each folder, not several per file:
// 1. the PDF helper reads the next files ahead (as many as `probes` has
//    servers) while this one is sealed;
// 2. each envelope is written to an unnamed file in the inbox and its fsync
//    handed to a SyncQueue; the next file is sealed meanwhile;
// 3. once every fsync of the batch returned, each envelope is named, and the
//    inbox fsynced once (a file whose fsync, naming or inbox fsync failed is
//    not sealed, and its envelope is removed);
// 4. only then is each file checked (changed or replaced while it was
//    sealed: its envelope removed, the inbox fsynced once more, the file
//    left) and put away (put_away_sealed, deferred), and the folders it
//    was put away from and into fsynced once each.
// No plaintext is removed or moved before its envelope is durable in the
// inbox, and none is reported sealed before. `done` is called with each
// file's result, in the order given, as each batch ends. Once `stop` is
// asked, the files started are finished and no other is started; returns
// how many files were given to `done` (the rest were not started).
std::size_t seal_scans(ProbeService& probes, const StationKey& station, const StationOptions& options,
                       const std::vector<std::string>& files, StopRequest stop,
                       const std::function<void(const ScanResult&)>& done);

}  // namespace kaappi
