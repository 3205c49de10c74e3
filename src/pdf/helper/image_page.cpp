// image_page.cpp — see image_page.h.
#include "pdf/helper/image_page.h"

// Poppler's core (libpoppler-private-dev): its interpreter walks the page
// and calls an output device for every thing drawn.
#include <GfxState.h>
#include <goo/GooString.h>
#include <OutputDev.h>
#include <PDFDoc.h>
#include <Stream.h>
#include <jpeglib.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>

#include "pdf/form_scan.h"

namespace kaappi::pdf_helper {
namespace {

// What this reads at all; anything larger is left to the renderer.
constexpr int k_max_jpeg_bytes = 64 * 1024 * 1024;    // of a JPEG's stream
constexpr double k_max_stretch = 1.1;                 // the image's pixels as placed: at most this much longer one way

// --- JPEG, decoded by libjpeg at scale_num/8 of its size, gray ---------------

struct JpegErrors {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
};

[[noreturn]] void jpeg_fails(j_common_ptr c) { std::longjmp(reinterpret_cast<JpegErrors*>(c->err)->jump, 1); }
void jpeg_says_nothing(j_common_ptr, int) {}
void jpeg_prints_nothing(j_common_ptr) {}

// The decoder's state, kept in memory that longjmp leaves alone.
struct JpegJob {
  jpeg_decompress_struct cinfo;
  JpegErrors errors;
  const std::vector<unsigned char>* data = nullptr;
  int width = 0, height = 0, components = 0, scale_num = 8;
  double max_pixels = 0;
  PageImage* out = nullptr;
  bool created = false;
};

// Only plain C objects live in this function's frame across the setjmp.
bool run_jpeg(JpegJob* job) {
  job->cinfo.err = jpeg_std_error(&job->errors.mgr);
  job->errors.mgr.error_exit = jpeg_fails;
  job->errors.mgr.emit_message = jpeg_says_nothing;
  job->errors.mgr.output_message = jpeg_prints_nothing;
  if (setjmp(job->errors.jump) != 0) return false;
  jpeg_create_decompress(&job->cinfo);
  job->created = true;
  jpeg_mem_src(&job->cinfo, job->data->data(), static_cast<unsigned long>(job->data->size()));
  if (jpeg_read_header(&job->cinfo, TRUE) != JPEG_HEADER_OK) return false;
  // The JPEG must be the image the PDF says it is (else Poppler's own
  // reading may differ from this one).
  if (static_cast<int>(job->cinfo.image_width) != job->width ||
      static_cast<int>(job->cinfo.image_height) != job->height || job->cinfo.num_components != job->components)
    return false;
  if (job->cinfo.jpeg_color_space != JCS_GRAYSCALE && job->cinfo.jpeg_color_space != JCS_YCbCr) return false;
  job->cinfo.out_color_space = JCS_GRAYSCALE;
  job->cinfo.scale_num = static_cast<unsigned>(job->scale_num);
  job->cinfo.scale_denom = 8;
  job->cinfo.dct_method = JDCT_IFAST;
  job->cinfo.do_fancy_upsampling = FALSE;
  jpeg_calc_output_dimensions(&job->cinfo);
  const double w = job->cinfo.output_width, h = job->cinfo.output_height;
  if (w < 1 || h < 1 || w * h > job->max_pixels || job->cinfo.output_components != 1) return false;
  job->out->width = static_cast<int>(w);
  job->out->height = static_cast<int>(h);
  job->out->pixels.resize(static_cast<size_t>(w * h));
  jpeg_start_decompress(&job->cinfo);
  while (job->cinfo.output_scanline < job->cinfo.output_height) {
    JSAMPROW row = job->out->pixels.data() + static_cast<size_t>(job->cinfo.output_scanline) * job->cinfo.output_width;
    if (jpeg_read_scanlines(&job->cinfo, &row, 1) != 1) return false;
  }
  jpeg_finish_decompress(&job->cinfo);
  return true;
}

bool decode_jpeg(const std::vector<unsigned char>& data, int width, int height, int components, int scale_num,
                 double max_pixels, PageImage& out) {
  JpegJob job{};
  job.data = &data;
  job.width = width, job.height = height, job.components = components, job.scale_num = scale_num;
  job.max_pixels = max_pixels;
  job.out = &out;
  const bool ok = run_jpeg(&job);
  if (job.created) jpeg_destroy_decompress(&job.cinfo);
  return ok;
}

// --- the output device: records the page's one image, and whether anything else shows

class OnlyImage final : public OutputDev {
 public:
  OnlyImage(double dpi, double max_pixels) : dpi_(dpi), max_pixels_(max_pixels) {}

  // A clean result: exactly one image read, nothing else visible.
  std::optional<PageImage> take() {
    if (other_ || !image_) return std::nullopt;
    return std::move(image_);
  }
  double largest_image() const { return largest_; }
  int images() const { return images_; }

  bool upsideDown() override { return true; }
  bool useDrawChar() override { return true; }
  bool interpretType3Chars() override { return false; }
  bool useTilingPatternFill() override { return true; }
  bool useShadedFills(int) override { return true; }

  void stroke(GfxState*) override { other_ = true; }
  void fill(GfxState*) override { other_ = true; }
  void eoFill(GfxState*) override { other_ = true; }
  bool tilingPatternFill(GfxState*, Gfx*, Catalog*, GfxTilingPattern*, const double*, int, int, int, int, double,
                         double) override {
    return other_ = true;
  }
  bool functionShadedFill(GfxState*, GfxFunctionShading*) override { return other_ = true; }
  bool axialShadedFill(GfxState*, GfxAxialShading*, double, double) override { return other_ = true; }
  bool radialShadedFill(GfxState*, GfxRadialShading*, double, double) override { return other_ = true; }
  bool gouraudTriangleShadedFill(GfxState*, GfxGouraudTriangleShading*) override { return other_ = true; }
  bool patchMeshShadedFill(GfxState*, GfxPatchMeshShading*) override { return other_ = true; }
  // Text shows unless drawn invisibly (render modes 3 and 7: an OCR layer).
  void drawChar(GfxState* state, double, double, double, double, double, double, CharCode, int, const Unicode*,
                int) override {
    if ((state->getRender() & 3) != 3) other_ = true;
  }
  void drawImageMask(GfxState* state, Object* ref, Stream* str, int width, int height, bool invert, bool interpolate,
                     bool inline_image) override {
    other_ = true;
    seen(width, height);
    OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inline_image);  // skips its data
  }
  void setSoftMaskFromImageMask(GfxState* state, Object* ref, Stream* str, int width, int height, bool invert,
                                bool inline_image, double* base) override {
    other_ = true;
    seen(width, height);
    OutputDev::setSoftMaskFromImageMask(state, ref, str, width, height, invert, inline_image, base);
  }
  void drawMaskedImage(GfxState*, Object*, Stream*, int width, int height, GfxImageColorMap*, bool, Stream*,
                       int mask_width, int mask_height, bool, bool) override {
    other_ = true;
    seen(width, height);
    seen(mask_width, mask_height, false);
  }
  void drawSoftMaskedImage(GfxState*, Object*, Stream*, int width, int height, GfxImageColorMap*, bool, Stream*,
                           int mask_width, int mask_height, GfxImageColorMap*, bool) override {
    other_ = true;
    seen(width, height);
    seen(mask_width, mask_height, false);
  }
  void drawImage(GfxState* state, Object* ref, Stream* str, int width, int height, GfxImageColorMap* map,
                 bool interpolate, const int* mask_colors, bool inline_image) override {
    seen(width, height);
    if (other_ || image_ || inline_image || mask_colors != nullptr || !read(state, str, width, height, map)) {
      other_ = true;
      image_.reset();
      if (inline_image) OutputDev::drawImage(state, ref, str, width, height, map, interpolate, mask_colors, true);
    }
  }

 private:
  void seen(int width, int height, bool an_image = true) {
    largest_ = std::max(largest_, static_cast<double>(width) * height);
    if (an_image && width > 0 && height > 0) ++images_;
  }

  bool read(GfxState* state, Stream* str, int width, int height, GfxImageColorMap* map) {
    if (width <= 0 || height <= 0 || map == nullptr || !map->isOk()) return false;
    if (static_cast<double>(width) * height > form::k_max_image_pixels) return false;
    // Where the unit square of the image lies on the page (in points, the
    // page 72 dpi and upside down): its width along (a, b), its height
    // along (c, d). Mirrored (a positive determinant here) is left to the
    // renderer: a mirrored QR code does not read.
    const double* m = state->getCTM();
    const double along_w = std::hypot(m[0], m[1]) / 72, along_h = std::hypot(m[2], m[3]) / 72;  // inches
    if (!(along_w > 0 && along_h > 0) || !(m[0] * m[3] - m[1] * m[2] < 0)) return false;
    const double dpi_w = width / along_w, dpi_h = height / along_h;
    if (!std::isfinite(dpi_w) || !std::isfinite(dpi_h) || std::max(dpi_w, dpi_h) > k_max_stretch * std::min(dpi_w, dpi_h))
      return false;
    const double native = std::min(dpi_w, dpi_h);
    // Fewer pixels than asked: the renderer would interpolate, and
    // interpolated is how the search is known to find codes.
    if (native < 0.9 * dpi_) return false;
    PageImage out;
    const bool ok = str->getKind() == strDCT ? read_jpeg(str, width, height, map, native, out)
                                              : read_samples(str, width, height, map, native, out);
    if (!ok) return false;
    // Pixel (x, y) of `out` is at (x / w, 1 - y / h) of the unit square
    // (an image's first row is its top), which the CTM puts on the page.
    const double w = out.width, h = out.height;
    out.a = m[0] / w, out.b = -m[2] / h, out.c = m[2] + m[4];
    out.d = m[1] / w, out.e = -m[3] / h, out.f = m[3] + m[5];
    image_ = std::move(out);
    return true;
  }

  bool read_jpeg(Stream* str, int width, int height, GfxImageColorMap* map, double native, PageImage& out) {
    const int n = map->getNumPixelComps();
    if (map->getBits() != 8 || (n != 1 && n != 3)) return false;
    const GfxColorSpaceMode mode = map->getColorSpace()->getMode();
    if (mode != csDeviceGray && mode != csCalGray && mode != csDeviceRGB && mode != csCalRGB && mode != csICCBased)
      return false;
    for (int i = 0; i < n; ++i)
      if (map->getDecodeLow(i) != 0 || map->getDecodeHigh(i) != 1) return false;
    Stream* raw = str->getNextStream();
    if (raw == nullptr) return false;
    std::vector<unsigned char> data;
    raw->reset();
    unsigned char buf[65536];
    for (int got; (got = raw->doGetChars(static_cast<int>(sizeof buf), buf)) > 0;) {
      if (data.size() + static_cast<size_t>(got) > static_cast<size_t>(k_max_jpeg_bytes)) {
        raw->close();
        return false;
      }
      data.insert(data.end(), buf, buf + got);
    }
    raw->close();
    const int scale_num = std::clamp(static_cast<int>(std::ceil(8 * dpi_ / native - 1e-9)), 1, 8);
    if (!decode_jpeg(data, width, height, n, scale_num, max_pixels_, out)) return false;
    out.dpi = native * out.width / width;
    return true;
  }

  // Any other image: its samples through Poppler's stream and colour
  // conversion, averaged over squares of `f` x `f` samples.
  bool read_samples(Stream* str, int width, int height, GfxImageColorMap* map, double native, PageImage& out) {
    const int f = std::max(1, static_cast<int>(native / dpi_));
    const int w = width / f, h = height / f;
    if (w < 1 || h < 1 || static_cast<double>(w) * h > max_pixels_) return false;
    ImageStream image(str, width, map->getNumPixelComps(), map->getBits());
    image.reset();
    std::vector<unsigned char> gray(static_cast<size_t>(width));
    std::vector<unsigned> sums(static_cast<size_t>(w));
    out.pixels.resize(static_cast<size_t>(w) * h);
    bool ok = true;
    for (int y = 0; y < h * f && ok; ++y) {
      unsigned char* line = image.getLine();
      if (line == nullptr) {
        ok = false;
        break;
      }
      map->getGrayLine(line, gray.data(), width);
      for (int x = 0; x < w * f; ++x) sums[static_cast<size_t>(x / f)] += gray[static_cast<size_t>(x)];
      if (y % f == f - 1) {
        std::uint8_t* row = out.pixels.data() + static_cast<size_t>(y / f) * w;
        for (int x = 0; x < w; ++x) {
          row[x] = static_cast<std::uint8_t>(sums[static_cast<size_t>(x)] / static_cast<unsigned>(f * f));
          sums[static_cast<size_t>(x)] = 0;
        }
      }
    }
    image.close();
    if (!ok) return false;
    out.width = w, out.height = h;
    out.dpi = native / f;
    return true;
  }

  double dpi_, max_pixels_;
  double largest_ = 0;
  int images_ = 0;
  bool other_ = false;
  std::optional<PageImage> image_;
};

}  // namespace

ImagePages::ImagePages(const char* path) {
  auto doc = std::make_unique<PDFDoc>(std::make_unique<GooString>(path));
  if (doc->isOk()) doc_ = std::move(doc);
}

ImagePages::~ImagePages() = default;

ImagePages::Look ImagePages::look(int index, double dpi, double max_pixels) {
  if (!doc_ || index < 0 || index >= doc_->getNumPages() || !(dpi > 0)) return {};
  if (doc_->getPage(index + 1) == nullptr) return {};
  OnlyImage dev(dpi, max_pixels);
  doc_->displayPage(&dev, index + 1, 72, 72, 0, false, true, false);
  return {dev.take(), dev.largest_image(), dev.images()};
}

}  // namespace kaappi::pdf_helper
