// rejected_envelopes.h — an erased customer's envelopes in the inbox's
// rejected/ folder (docs/REGISTER.md, "Erasure"): ingest sets refused
// envelopes aside there (base/rejected_folder.h), and they hold the scans
// as the station sealed them, which an erasure of the archive's keys does
// not reach. An envelope there *belongs* to a customer when its sealed
// station metadata, opened with the archive's secret key, names the
// customer's number in the scan's original file name as a whole number (not
// part of a longer run of letters or digits: "1001-contract.pdf" and
// "scan 1001.pdf" name 1001, "10012.pdf" does not). Such an envelope is
// removed with its NAME.reason file; one that cannot be opened (not an
// envelope, sealed for another archive, damaged, not a regular file) is left
// where it is and named with why.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/session.h"

namespace kaappi {

struct RejectedEnvelopes {
  std::vector<std::string> removed;  // their names in rejected/ (each with its .reason, when there was one)
  std::vector<std::string> left;     // "NAME: why it could not be opened"
  std::string folder_problem;        // why rejected/ itself could not be searched ("": it was, or there is none)
};

// Whether the scan's original file name names `number` as a whole number.
bool file_name_names_number(std::string_view file_name, std::string_view number);

// Removes (`dry_run`: only finds) the envelopes of the customer with number
// `number` from INBOX/rejected/ (`inbox` the inbox folder: none, or no
// rejected/ in it, is nothing to do). Never throws for one envelope or for
// rejected/ itself: what could not be done is in `left` and `folder_problem`.
RejectedEnvelopes remove_rejected_envelopes(Session& session, const std::string& inbox, const std::string& number,
                                            bool dry_run);

}  // namespace kaappi
