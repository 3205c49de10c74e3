// ingest_endings.cpp — see ingest_endings.h.
#include "intake/ingest_endings.h"

#include <algorithm>

#include "base/file_io.h"

namespace kaappi {
namespace {

// Every undecided envelope gets `status`, said as `why`.
void mark_untried(std::vector<IngestOutcome>& outcomes, const UndecidedEnvelopes& undecided,
                  IngestOutcome::Status status, const std::string& why) {
  for (size_t slot : undecided.ahead) {
    outcomes[slot].status = status;
    outcomes[slot].message = why;
  }
  for (size_t next = undecided.next; next < undecided.envelopes.size(); ++next) {
    IngestOutcome& o = outcomes.emplace_back();
    o.envelope = base_name(undecided.envelopes[next]);
    o.status = status;
    o.message = why;
  }
}

}  // namespace

void mark_interrupted(std::vector<IngestOutcome>& outcomes, const UndecidedEnvelopes& undecided) {
  mark_untried(outcomes, undecided, IngestOutcome::Status::interrupted,
               "not taken in: ingest was stopped before it; it stays in the inbox");
}

void mark_failed_batch(std::vector<IngestOutcome>& outcomes, const std::vector<size_t>& batch,
                       std::optional<size_t> current, const UndecidedEnvelopes& undecided) {
  auto failed = [&](size_t slot) {
    IngestOutcome& o = outcomes[slot];
    o.status = IngestOutcome::Status::failed;
    o.document_id = 0;
    o.message = "not taken in: its batch failed and was taken back; it stays in the inbox";
  };
  for (size_t slot : batch) failed(slot);
  const bool read_ahead =
      current && std::find(undecided.ahead.begin(), undecided.ahead.end(), *current) != undecided.ahead.end();
  // The envelope being decided when the error came: not yet decided, its status is still `left` (ingest.cpp: start).
  if (current && !read_ahead && outcomes[*current].status == IngestOutcome::Status::left) failed(*current);
  mark_untried(outcomes, undecided, IngestOutcome::Status::left,
               "not tried: ingest stopped at the failed batch before it; it stays in the inbox");
}

}  // namespace kaappi
