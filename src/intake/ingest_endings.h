// ingest_endings.h — the endings of an ingest run cut short: what is said of
// the envelopes it had not decided, asked to stop (`interrupted`) or stopped
// by a batch that failed (`failed`, `left`). Every one of them stays in the
// inbox as it was; taking back their blobs and intents is the run's
// (ingest.cpp). Plain functions on the run's outcomes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "intake/ingest.h"

namespace kaappi {

// The envelopes a run had not decided when it ended: those read ahead (their
// slots in the outcomes) and those not started (`envelopes` from `next`, each
// given an outcome, in inbox order).
struct UndecidedEnvelopes {
  std::vector<size_t> ahead;
  const std::vector<std::string>& envelopes;
  size_t next = 0;
};

// Asked to stop: every undecided envelope is interrupted.
void mark_interrupted(std::vector<IngestOutcome>& outcomes, const UndecidedEnvelopes& undecided);

// A batch failed and was taken back: its envelopes (`batch`, slots; none once
// its rows were committed) are failed, and so is the one being decided when
// the error came (`current`, unless it was read ahead or is decided); every
// undecided envelope is left.
void mark_failed_batch(std::vector<IngestOutcome>& outcomes, const std::vector<size_t>& batch,
                       std::optional<size_t> current, const UndecidedEnvelopes& undecided);

}  // namespace kaappi
