// inspection_report_pdf.h — the readable report of an inspection copy: an A4
// PDF in the copy's language (fi, sv or en), drawn with cairo and pango in
// DejaVu Sans (every ä, ö and å, text that pdftotext extracts), for a person
// who is not technical: the register's texts, the person's data with its
// labels in plain words, their consents, documents, the reads of those
// documents, their requests, the fee, and the closing line that the copy is
// handed over in person only. Drawn from data.json's JSON
// (inspection_json.h), so the two say the same; long content flows onto
// further pages, each numbered. Not thread-safe beyond what cairo and pango
// promise (one report at a time per thread).
#pragma once

#include <nlohmann/json.hpp>

#include "base/bytes.h"

namespace kaappi {

// The PDF's bytes (ErrorKind::internal when cairo fails).
Bytes inspection_report_pdf(const nlohmann::json& data);

}  // namespace kaappi
