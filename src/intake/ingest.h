// ingest.h — kaappi ingest: taking sealed scans from the inbox into the
// archive.
//
// For each envelope, oldest first: check it (inbox.h); one that is sealed
// for another archive, from an unknown or revoked station, altered,
// truncated or not an envelope at all is moved to INBOX/rejected/ with a
// .reason file beside it, never half-imported. A good one is linked to a
// customer — the one given, or the one whose number the scan's text layer or
// metadata names after a label such as "Asiakasnumero" / "Kundnummer" /
// "Customer number" — and taken in without re-encryption: its blob is copied
// into blobs/ under an intent, authenticated in full, and indexed; the
// envelope is removed only after the index commit. Running ingest twice, or
// after a crash, makes no duplicates: an envelope whose document is already
// indexed, or whose content that customer already has, is removed with a
// note. A scan with no customer is stored unassigned (kaappi documents
// --unassigned; kaappi assign DOC --customer N).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/session.h"
#include "intake/inbox.h"

namespace kaappi {

struct IngestOptions {
  std::string inbox;
  std::string customer;  // customer number; empty: from the scan's text
  std::string kind = "other";
};

struct IngestOutcome {
  enum class Status { stored, duplicate, rejected };
  std::string envelope;
  Status status = Status::stored;
  std::int64_t document_id = 0;
  std::string customer;  // number; empty: stored unassigned
  bool customer_from_scan = false;
  std::string original_name, station;
  std::int64_t pages = 0;
  std::string message;
};

std::vector<IngestOutcome> ingest_inbox(Session& session, const IngestOptions& options);


}  // namespace kaappi
