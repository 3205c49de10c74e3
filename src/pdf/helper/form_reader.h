// form_reader.h — finds kaappi's printed forms in an untrusted PDF, inside
// the helper's sandbox and with no key: the summary's `form_pages` and
// `form_search` (docs/FORMAT.md, "PDF summary").
//
// Every page is searched for QR codes with zxing-cpp at low resolution
// (form_scan.h: k_search_dpi): a page that is only a scanned image on that
// image (image_page.h; a code's corners placed on the page by the image's
// placement), any other page rendered gray; a page drawing an image larger
// than k_max_image_pixels is not searched but listed as over budget. There
// is a CPU budget per page and
// one per document (pages over theirs are listed and left; once the
// document's is spent, the search stops and says where). A page whose code
// is a kaappi form code (form_code.h; unauthenticated here: kaappi checks
// its MAC) of a known template (form_layout.h) is rendered again at
// k_read_dpi; the QR code's corners give the page's turn and where the four
// corner marks should be; each mark found near there (a solid dark square
// of its size, not cut by the page's edge) is located by its centroid; an
// affine transform from form millimetres to pixels is fitted to 3 or 4
// marks (a mark far off the others' fit is dropped), or, with fewer, a
// rotation, scale and shift to the marks and the QR code's corners; and
// every box of the template's page is sampled through it into an upright
// crop (form_scan.h).
//
// Test-only fault points (KAAPPI_FAULT, action `error`): `pdf.form.page_budget`
// is reached once per page searched (@N: the Nth page searched is over its
// budget); `pdf.form.search_budget` once before each page (@N: the
// document's budget is spent before the Nth page); `pdf.form.image_pages`
// once per page (firing: the page is rendered even if it is one image).
//
// Not thread-safe (Poppler's document); call from the document's process.
#pragma once

#include <nlohmann/json.hpp>

namespace poppler {
class document;
}

namespace kaappi::pdf_helper {

class ImagePages;

// Searches `doc` (whose pages `images` looks at too) and sets out[field::form_pages] and out[field::form_search].
void read_forms(const poppler::document& doc, ImagePages& images, nlohmann::json& out);

// Loads, in the fork server, what rendering and zxing-cpp set up on first use.
void warm_up_form_reader(const poppler::document& doc);

}  // namespace kaappi::pdf_helper
