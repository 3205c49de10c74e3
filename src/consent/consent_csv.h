// consent_csv.h — consent events from a CSV file, all rows or none (kaappi
// consent import): how a company moves its existing consent register in.
//
// The header row names the columns (consent_csv_columns(); case and '_' for
// '-' do not matter, any order): customer, purpose and state are required,
// effective, source, document and note optional. Each row means what one
// `consent set` with those values means, checked by the same rules
// (checked_consent_request, check_consent_document); an empty cell is a value
// not given, so the same defaults apply (source: signed-form with a document,
// other without; effective: the day of the import). Rows are recorded in
// file order, so of two events effective the same day the later row counts.
// A correction cannot be imported (there is no column for it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "consent/consent_event.h"
#include "store/session.h"

namespace kaappi {

// customer, purpose, state, effective, source, document, note
const std::vector<std::string>& consent_csv_columns();

// One checked row, held compactly (a million of them fit in ~40 MB):
// the values by their index in the lists they come from, the customer
// number and note by their place in ConsentCsv.
struct ConsentCsvRow {
  std::uint32_t line = 0;      // the line the row starts on
  std::uint32_t customer = 0;  // index into ConsentCsv::numbers
  std::int64_t document = 0;   // 0: none
  std::uint32_t note_offset = 0, note_size = 0;  // in ConsentCsv::notes
  std::uint8_t purpose = 0;    // index into purposes()
  std::uint8_t state = 0;      // index into consent_event_states()
  std::uint8_t source = 0;     // index into consent_sources()
  bool has_effective = false;
  char effective[10] = {};     // YYYY-MM-DD when has_effective
};

struct ConsentCsv {
  std::vector<ConsentCsvRow> rows;
  std::vector<std::string> numbers;  // each customer number as written, once
  std::string notes;                 // every row's note, one after another
  std::vector<std::string> errors;   // "line 4, field 'state' must be ..."

  const std::string& number(const ConsentCsvRow& row) const { return numbers[row.customer]; }
  // The row's event: checked, defaults filled in (but the date).
  ConsentEvent event(const ConsentCsvRow& row) const;
};

// Parses and checks what needs no archive; problems are collected, not
// thrown (except for a file that is not CSV at all). The rows are read one
// at a time, so only the compact rows are held.
ConsentCsv read_consent_csv(std::string_view text);

// Checks what needs the archive (each customer exists, each document exists
// and is the row's customer's), then appends every event in one write.
// Throws ErrorKind::rejected listing every problem of `csv` (its own and
// these) when there is any; nothing is written then. Returns the number of
// events recorded.
std::size_t import_consent_events(Session& session, const ConsentCsv& csv);

// read_consent_csv of the file, then import_consent_events.
std::size_t import_consent_csv(Session& session, const std::string& path);

}  // namespace kaappi
