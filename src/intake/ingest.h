// ingest.h — kaappi ingest: taking sealed scans from the inbox into the
// archive.
//
// For each envelope, oldest first: check it (inbox.h); one that is sealed
// for another archive, from an unknown or revoked station, altered,
// truncated, with bad metadata or not an envelope at all is moved to
// INBOX/rejected/ with a .reason file beside it, never half-imported (when
// rejected/ cannot be used, it is left in the inbox as it was, and the
// outcome says why; the others are still taken in). A good
// one is taken in without re-encryption: its blob is copied into blobs/
// under a document uid the archive chooses (the envelope's uid, which the
// blob's header holds, becomes the document's blob_uid) and an intent, and
// authenticated in full, and the decrypted scan is read
// by the PDF helper here — its pages and text, not the station's claims,
// count. It is linked to a customer — the one given, or the one whose number
// that text or the PDF's metadata names after a label such as
// "Asiakasnumero" / "Kundnummer" / "Customer number" — and indexed; the
// envelope is removed only after the index commit. Envelopes are taken in
// batches, as import stores files (at most 32 envelopes or 256 MiB): one
// intent transaction, the blobs' fsyncs side by side, one signed commit for
// the batch's documents, then its envelopes removed and the inbox synced
// once. An envelope already taken
// in (its uid and its blob byte for byte are a document's: an ingest stopped
// after its commit) is removed with a note; otherwise duplicates are decided
// per customer on the authenticated content: an envelope whose content that
// customer already has (sent again, or by another station) is removed with a
// note; the envelope's uid alone decides nothing (two envelopes of one uid
// and different content are two documents). Envelopes of version 1 and 2 are read (format/envelope.h); the
// hashes the station signed are checked, and format 2's are recorded. A scan
// with no customer is stored unassigned (kaappi documents
// --unassigned; kaappi assign DOC --customer N). Asked to stop (a signal), ingest
// ends the batch at the envelope it is deciding, commits what the batch
// holds and starts no other: those read ahead are taken back (their blob
// and intent) and, with the rest, stay in the inbox for the next ingest.
// An envelope still being written into the inbox (inbox.h: being_written),
// or one that changed while it was read, is neither taken in nor refused: it
// is left in the inbox as it is, `waiting`, for a later ingest. Before
// anything is moved, the archive is checked to take a write
// (Session::check_writable): a refused write leaves the inbox as it was too.
// An error in a batch (an I/O error, a full disk) takes that batch back (the
// archive is as it was before it) and ends the run: the batches before it
// stay stored and are reported, the batch's envelopes are `failed`, those
// read ahead or not yet tried `left`, all in the inbox as they were, and the
// error is returned with them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/stop_request.h"
#include "store/session.h"
#include "intake/inbox.h"
#include "forms/scan_filing.h"
#include "pdf/pdf_probe.h"

namespace kaappi {

struct IngestOptions {
  std::string inbox;
  std::string customer;  // customer number; empty: from the scan's text
  std::string kind;      // "": none asked (other; a printed form is a consent-form)
  ProbeLimits limits;    // for reading each decrypted scan with the PDF helper
  StopRequest stop;      // when asked: the batch ends and is committed, no envelope is started after it
};

struct IngestOutcome {
  // interrupted: not taken in, left in the inbox, because ingest was asked to stop before it;
  // waiting: still being written (or changed while it was read): left in the inbox as it is;
  // failed: not taken in, because its batch failed (IngestReport::failure) and was taken back;
  // left: not tried (or not decided), because an earlier batch failed; in the inbox as it was
  enum class Status { stored, duplicate, rejected, interrupted, waiting, failed, left };
  std::string envelope;
  Status status = Status::stored;
  std::int64_t document_id = 0;
  // Where it went and why (forms/scan_filing.h): customer number (empty:
  // unassigned), kind, by its printed form or the number its text names.
  FiledAs filed;
  std::string original_name, station;
  std::int64_t pages = 0;
  // stored: a note, or what failed after the commit (then done_in_part: the
  // document is saved, but, say, its envelope stayed in the inbox)
  std::string message;
  bool done_in_part = false;
  std::string moved_to;  // rejected: where it was set aside ("rejected/2-NAME" after a clash); empty: left in the inbox
};

struct IngestReport {
  std::vector<IngestOutcome> outcomes;  // in inbox order
  // The error that ended the run in a batch (an I/O error, a full disk),
  // with what it took back; empty when the run went to its end.
  std::optional<Error> failure;
};

// Throws (nothing moved, nothing written) when the inbox cannot be read or
// the archive refuses writes; an error once envelopes were taken is in the
// report (IngestReport::failure).
IngestReport ingest_inbox(Session& session, const IngestOptions& options);


}  // namespace kaappi
