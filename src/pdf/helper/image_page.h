// image_page.h — a quick look at a scanned page: when all a page shows is
// one image (as a scanner writes it, perhaps under an invisible OCR text
// layer), its pixels gray at about a given resolution, read straight from
// the image's stream with Poppler's core (a second, private view of the
// same PDF) and, for a JPEG, decoded by libjpeg at a reduced scale — so
// that the form reader's QR search (form_reader.h) does not pay for
// rendering the page. Anything else on the page — vector drawing, visible
// text, a second image, a masked, inline or mirrored image, stretched
// pixels, a colour model this does not convert, a broken stream — gives
// nothing, and the caller renders the page as before.
//
// The image is in its own orientation (the page may show it turned; a QR
// code is found in any turn) and unclipped, so it shows at least what a
// rendering would: a code that a rendering would show is in it too. Where
// a pixel of it lies on the rendered page is given, so a code found on it
// can be read from a rendering at a higher resolution.
//
// Not thread-safe (Poppler's core); use from the document's process.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class PDFDoc;

namespace kaappi::pdf_helper {

struct PageImage {
  std::vector<std::uint8_t> pixels;  // row by row, `width` bytes a row, 0 black .. 255 white
  int width = 0, height = 0;
  double dpi = 0;  // pixels per inch on the page (the smaller of the two directions)
  // Where pixel position (x, y) of `pixels` lies on the page, in points
  // from the top-left corner of the page as rendered (poppler::page_renderer
  // at 72 dpi): (a x + b y + c, d x + e y + f).
  double a = 0, b = 0, c = 0, d = 0, e = 0, f = 0;
};

class ImagePages {
 public:
  // Opens the PDF at `path` (the same file the summary reads) a second
  // time. A file Poppler's core cannot open gives an object whose pages
  // all give nothing.
  explicit ImagePages(const char* path);
  ~ImagePages();
  ImagePages(const ImagePages&) = delete;
  ImagePages& operator=(const ImagePages&) = delete;

  struct Look {
    // The page's only image, gray, at `dpi` up to twice that (never
    // upscaled), with at most `max_pixels` pixels; or nothing (above).
    std::optional<PageImage> image;
    double largest_image = 0;  // the pixels of the largest image the page draws (any kind)
    int images = 0;            // how many images it draws (any kind: a scan draws at least one)
  };
  // Page `index` (0-based).
  Look look(int index, double dpi, double max_pixels);

 private:
  std::unique_ptr<PDFDoc> doc_;
};

}  // namespace kaappi::pdf_helper
