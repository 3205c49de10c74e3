// form_reading.h — what a scanned kaappi form says (docs/FORMS.md,
// "Reading"): from the PDF helper's summary (its form_pages, pdf/
// probe_protocol.h), the pages of each form whose code is valid here
// (forms/form_instances.h: MAC, printed from this archive), and each box's
// reading from its crop (forms/box_reading.h): empty, ticked or unsure, with
// its crop kept for the person who confirms. The summary is the helper's
// hostile output, stored sealed with the document: every field is checked,
// and a crop of the wrong size reads as unsure. Not thread-safe (one session).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/secret.h"
#include "forms/box_reading.h"
#include "store/session.h"

namespace kaappi {

struct BoxProposal {
  std::string purpose;  // an id of consent/purposes.h
  form::BoxReading reading;
  std::vector<std::uint8_t> crop;  // gray, row-major; empty when the summary had none
  int width = 0, height = 0;
};

struct FormPageRead {
  std::int64_t pdf_page = 0;  // the scan's page
  int form_page = 0;          // the form's page (1: the boxes)
  int turn = 0;               // how the page lay: 0, 90, 180, 270
  int marks = 0;              // corner marks found (fewer than 3: placed by the QR code too)
  std::vector<BoxProposal> boxes;
};

struct ScannedForm {
  FormInstanceRow form;
  std::vector<FormPageRead> pages;  // each form page read once (its first scan page), in page order
  // Whether the page with the boxes was read; what a reader should know
  // ("page 1 of the form is not in the scan", "page 1: 2 of 4 corner marks found").
  bool boxes_read = false;
  std::vector<std::string> notes;
};

// Whether the summary is of a drawn PDF of a form, not of a scan of it:
// kaappi's own printout (its Creator: pdf/form_layout.h), or any PDF whose
// page with a form's code draws no image at all (a scanner always draws
// one; a printout re-saved by another program draws none).
bool summary_is_printout(const std::string& summary_json);

// The forms of this archive a scan holds, in the order their first page
// comes; empty when it holds none (or only codes that are not valid here).
std::vector<ScannedForm> read_scanned_forms(Session& session, const SecretBuffer& code_key,
                                            const std::string& summary_json);

}  // namespace kaappi
