// envelope_removal.h — removing a committed ingest batch's envelopes from the
// inbox, on a thread of its own while the next batch is read (removing a file
// waits for the disk where the file system discards freed blocks at once),
// and saying with each envelope's outcome what became of it.
//
// An envelope is removed through the held inbox, never by its path again (a
// folder put in the inbox's place meanwhile is not touched), and only while
// its name still holds the very file that was read (base/file_version.h):
// another file put under its name since (a share client replacing it) is
// the next ingest's. The inbox is synced once a batch.
//
// Thread-safety: one owner (ingest's run) calls every member; the removal's
// thread touches only the inbox, and the outcomes are changed on the owner's
// thread. The inbox and the outcomes must outlive finish().
#pragma once

#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/file_io.h"
#include "base/file_version.h"
#include "intake/ingest.h"

namespace kaappi {

// An envelope of a committed batch: where its outcome is, and the file read.
struct ReadEnvelope {
  size_t slot = 0;     // in the run's outcomes
  std::string name;    // in the inbox
  FileVersion version;  // of the file read: only that file is removed
};

class EnvelopeRemoval {
 public:
  explicit EnvelopeRemoval(std::vector<IngestOutcome>& outcomes) : m_outcomes(outcomes) {}

  // Removes a batch's envelopes: those of its stored documents (`stored`)
  // and of its duplicates (`duplicates`), after waiting for the batch
  // before's (finish()).
  void start(const Dir& inbox, std::vector<ReadEnvelope> stored, std::vector<ReadEnvelope> duplicates);
  // None of them is removed, because of `why`: said with each outcome.
  void not_started(const std::vector<ReadEnvelope>& stored, const std::vector<ReadEnvelope>& duplicates,
                   const std::string& why);
  // Waits for the batch's envelopes to be removed, and says so with their
  // outcomes (nothing when no removal is under way).
  void finish();

 private:
  struct Running {
    std::vector<size_t> stored, duplicates;  // slots
    std::future<std::map<size_t, std::string>> failed;  // by slot: why its envelope may still be there
  };
  void say_removed(const std::vector<size_t>& stored, const std::vector<size_t>& duplicates,
                   const std::map<size_t, std::string>& failed);

  std::vector<IngestOutcome>& m_outcomes;
  std::optional<Running> m_running;
};

}  // namespace kaappi
