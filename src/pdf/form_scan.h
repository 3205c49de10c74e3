// form_scan.h — what the PDF helper's form reader (pdf/helper/form_reader.h)
// puts in the summary about a scanned kaappi form, and the limits it keeps:
// the one place of these numbers, read by the helper, by kaappi (which
// reads the box crops of the summary) and by the tests. The summary's field
// names are in pdf/probe_protocol.h (`field`); docs/FORMAT.md ("PDF
// summary") describes them. Plain C++ constants; safe from any thread.
#pragma once

#include <cstddef>

namespace kaappi::form {

// A box's crop: the box's printed outline (form_layout.h) with this margin
// of form around it on every side, sampled at this many pixels per
// millimetre of the form (turn and skew undone), so a 6 mm box gives an
// 80x80 crop with its outline 16 pixels in from each edge. Gray, one byte
// a pixel, 0 black .. 255 white, row by row from the form's top-left.
inline constexpr double k_crop_margin_mm = 2;
inline constexpr int k_crop_px_per_mm = 8;

// What one summary may hold of forms.
inline constexpr int k_max_form_pages = 64;            // pages with a QR code reported per document
inline constexpr int k_max_codes_per_page = 4;         // QR texts reported per page
inline constexpr std::size_t k_max_code_bytes = 512;   // of one QR text (longer ones are cut)
inline constexpr int k_max_boxes_per_page = 16;        // a template page with more is not read
inline constexpr int k_max_crop_side_px = 128;         // a box whose crop is larger is not read (16 mm)

// The search for QR codes on every page, and the reading of a form's page.
inline constexpr double k_search_dpi = 100;            // each page rendered gray at this resolution ...
inline constexpr double k_search_max_pixels = 4e6;     // ... or less, so that it has at most this many pixels
inline constexpr double k_read_dpi = 200;              // a page with a form's code rendered again at this ...
inline constexpr double k_read_max_pixels = 16e6;      // ... or less, so that it has at most this many pixels
inline constexpr double k_mark_search_mm = 8;          // how far from where the QR code puts it a corner mark is looked for
// A page drawing an image of more pixels than this (a 1200 dpi A4 scan has
// 140 million) is not searched at all, but listed as over budget: decoding
// it could take the helper's whole CPU time before any budget is checked.
inline constexpr double k_max_image_pixels = 150e6;
// CPU time (of the helper's process): a page whose search took longer is
// left (listed as over budget); once the search of a document has taken
// the whole budget, later pages are not searched. Far below the helper's
// CPU limit (pdf_probe.h, 60 s by default).
inline constexpr double k_page_budget_ms = 400;
inline constexpr double k_search_budget_ms = 15000;

}  // namespace kaappi::form
