// documents.h — importing PDFs into the archive (import.cpp), getting them
// back and the access log (retrieval.cpp), assigning a scan taken in without
// a customer (assignment.cpp). What a document's row and metadata hold is in
// document_record.h.
//
// Import, per file: check it is a regular file within the size limit that
// starts like a PDF; ask the PDF helper (a separate, limited process) for a
// summary; record a write intent; stream-encrypt into tmp/<uid>.tmp; fsync;
// rename into blobs/; fsync the folder; then, in one index transaction, add
// the signed document row and drop the intent. Each file stands alone.
//
// Get: record the access (who, when, why) first, then decrypt. Nothing
// appears at the output until every chunk, the last one included, has
// authenticated: a file is written to a temp name and renamed; stdout gets
// the plaintext only on a second pass after a first pass authenticated all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/stop_request.h"
#include "documents/document_record.h"
#include "store/session.h"
#include "register/customers.h"
#include "forms/scan_filing.h"
#include "pdf/pdf_probe.h"

namespace kaappi {

struct ImportOptions {
  std::string kind;  // "": none asked (other; a printed form is a consent-form)
  std::uint64_t max_size = 4ull << 30;
  ProbeLimits limits;
  bool quiet = false;  // report no progress
  // When asked, the file being written is finished and committed with its
  // batch; the files after it are not started and come back as
  // Status::interrupted.
  StopRequest stop;
};

struct ImportOutcome {
  std::string file;
  // not_found: the file named is not there; interrupted: not stored because
  // the import was asked to stop before it (ImportOptions::stop).
  // refused: the archive refused the write (ErrorKind::corrupt: altered or rolled back).
  enum class Status { stored, duplicate, rejected, not_found, failed, refused, interrupted } status = Status::rejected;
  std::int64_t document_id = 0;
  std::int64_t pages = 0;
  std::int64_t size = 0;
  Message message;  // for rejected / failed / duplicate, or a note on a stored one; may name an input (Field)
  // stored: the name stored with it, the file's own cleaned by the scan file
  // name rule (format/scan_file_name.h), as kaappi-scan seals names.
  std::string stored_name;
  bool done_in_part = false;  // stored, but what followed its commit failed (message says what)
  FiledAs filed;  // where it went, once the PDF helper read it (forms/scan_filing.h)
};

// Each file goes where forms/scan_filing.h says: its printed form's
// customer, else `customer` (none: the one its text names, else unassigned).
std::vector<ImportOutcome> import_files(Session& session, const std::optional<Customer>& customer,
                                        const std::vector<std::string>& files, const ImportOptions& options);

// Gives a document to a customer (a signed assignment row; the document row
// itself never changes): one taken in without a customer, or one moved from
// the customer it has (a mis-filed one: `reason` required, else
// ErrorKind::usage). The latest assignment decides the document's customer
// everywhere (DocumentRow::owner). Refuses (nothing changed) an erased
// document, the customer it already has, and a customer who already has
// its content, and a restricted document (register/customer_restriction.h).
// A reason is sealed under the document's metadata key.
struct AssignOutcome {
  DocumentRow row;        // with its new customer
  std::int64_t from = 0;  // the customer it had (0: none, taken in without one)
};
AssignOutcome assign_document(Session& session, std::int64_t id, const Customer& customer,
                              const std::string& reason = {});

// The checks of a kind change that need no archive: a known kind, a reason
// (ErrorKind::usage). Front ends call it before asking for the passphrase.
void check_kind_change(const std::string& kind, const std::string& reason);
// Changes a document's kind (a signed document_kinds row, its reason sealed
// under the document's metadata key); the latest change is its kind
// everywhere (DocumentRow::current_kind). Refuses (nothing changed) an
// erased document and the kind it already has.
struct KindOutcome {
  DocumentRow row;   // with its new kind
  std::string from;  // the kind it had
};
KindOutcome set_document_kind(Session& session, std::int64_t id, const std::string& kind, const std::string& reason);

// One step of a document's history (document_changes.cpp), in the order
// the rows were signed: its import, each assignment or move, each kind
// change, its erasure.
struct CustomerRef {
  std::int64_t id = 0;     // 0: none
  std::string number;      // "" when none or erased
  bool erased = false;
};
struct DocumentChange {
  enum class What { imported, assigned, moved, kind_changed, erased } what = What::imported;
  std::int64_t seq = 0;
  std::int64_t at = 0;
  std::string by;            // who (imported: the OS user who took it in); "" when not known or erased
  std::string reason;        // "" when none was given or it was erased
  bool reason_erased = false;
  CustomerRef customer;      // imported: its customer; assigned, moved: the new one
  CustomerRef from_customer; // moved: the one it had
  std::string kind;          // imported: its kind; kind_changed: the new one
  std::string from_kind;     // kind_changed: the one it had
  std::string station;       // imported from a station: its name
};
const char* change_name(DocumentChange::What what);  // "imported", "assigned", "moved", "kind-changed", "erased"
// ErrorKind::not_found when there is no such document.
std::vector<DocumentChange> document_changes(Session& session, std::int64_t id);

struct GetOptions {
  std::string output;   // path, or "-" for stdout (a front end refuses a terminal there)
  std::string reason;
  Overwrite overwrite = Overwrite::no;
  bool quiet = false;   // report no progress
  std::string action = "get";  // as recorded in the access log ("proof" for consent proofs)
};
// The checks of a get that need no archive (a reason, an output that is not
// there unless it may be replaced); throws. Front ends call it before asking
// for the passphrase.
void check_get_request(const GetOptions& options);
// Returns the number of plaintext bytes written.
std::uint64_t get_document(Session& session, std::int64_t id, const GetOptions& options);

// The access log: who read which document, when, and why.
struct AccessEntry {
  std::int64_t id = 0;
  std::int64_t seq = 0;  // the row's place in the archive's signed history
  std::int64_t document = 0;
  std::int64_t customer = 0;  // the document's customer at the read (0: none)
  std::int64_t at = 0;
  std::string action;
  std::string by;
  std::string reason;
  bool erased = false;  // who and why were erased with the customer or the document
};
// Opens one entry (throws ErrorKind::corrupt).
AccessEntry open_access_entry(const ValueSealer& sealer, const AccessRow& row);
// The access log, or one document's part of it (ErrorKind::not_found when
// there is no such document).
std::vector<AccessEntry> access_log(Session& session, std::optional<std::int64_t> document = {});

}  // namespace kaappi
