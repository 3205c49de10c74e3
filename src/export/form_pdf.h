// form_pdf.h — printed forms as an A4 PDF, drawn with cairo and pango in
// DejaVu Sans, each page laid out as its template (pdf/form_layout.h) says:
// the corner marks, the QR code of that page (libqrencode, error correction
// level M), the customer's number and name as text (or lines to fill in on a
// blank form), the consents and bans as boxes with their labels in the form's
// language, the date and signature lines; the last page the register's short
// notice. Never the customer's number or name in the QR code. Not
// thread-safe beyond what cairo and pango promise.
#pragma once

#include <string>
#include <vector>

#include "base/bytes.h"
#include "export/register_texts.h"
#include "pdf/form_layout.h"

namespace kaappi {

struct FormToPrint {
  std::string language;                 // fi, sv or en
  std::string customer_number;          // "": a blank form, with lines to fill in
  std::string customer_name;
  std::string form_label;               // a short id of the form printed in its footer
  std::vector<std::string> page_codes;  // the QR code's text of each page (form_code.h)
};

// The PDF's bytes, every form's pages in order (ErrorKind::internal when
// cairo or libqrencode fails).
Bytes forms_pdf(const form::TemplateLayout& layout, const std::vector<FormToPrint>& forms,
                const RegisterTexts& texts);

}  // namespace kaappi
