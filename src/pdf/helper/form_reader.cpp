// form_reader.cpp — see form_reader.h.
#define ZX_USE_UTF8 1
#include "pdf/helper/form_reader.h"

#include <ZXing/ReadBarcode.h>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/fault.h"
#include "pdf/form_code.h"
#include "pdf/form_layout.h"
#include "pdf/form_scan.h"
#include "pdf/helper/image_page.h"
#include "pdf/probe_protocol.h"

namespace kaappi::pdf_helper {
namespace {

using form::Rect;
namespace field = probe::field;

double cpu_ms() {
  timespec t{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// Whether the fault point `name` fires now (test-only; see form_reader.h).
bool fault_fires(const char* name) {
  try {
    fault::point(name);
  } catch (const Error&) {
    return true;
  }
  return false;
}

struct Point {
  double x = 0, y = 0;
};

// A page rendered gray; `dpi` is what it was rendered at (after the cap).
struct Gray {
  poppler::image image;
  double dpi = 0;
  int width() const { return image.width(); }
  int height() const { return image.height(); }
  const std::uint8_t* row(int y) const {
    return reinterpret_cast<const std::uint8_t*>(image.const_data()) + static_cast<std::ptrdiff_t>(y) * image.bytes_per_row();
  }
  int at(int x, int y) const { return row(y)[x]; }
  ZXing::ImageView view() const {
    return {reinterpret_cast<const std::uint8_t*>(image.const_data()), width(), height(), ZXing::ImageFormat::Lum,
            image.bytes_per_row()};
  }
};

std::optional<Gray> render(const poppler::page& page, double dpi, double max_pixels, bool antialias) {
  const poppler::rectf box = page.page_rect(poppler::crop_box);
  const double w = std::abs(box.width()) / 72, h = std::abs(box.height()) / 72;  // inches
  if (!(w > 0 && h > 0 && std::isfinite(w * h))) return std::nullopt;
  if (w * h * dpi * dpi > max_pixels) dpi = std::sqrt(max_pixels / (w * h));
  if (dpi < 1) return std::nullopt;  // a page metres wide: no form
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_render_hint(poppler::page_renderer::antialiasing, antialias);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, antialias);
  Gray g{renderer.render_page(&page, dpi, dpi), dpi};
  if (!g.image.is_valid() || g.image.format() != poppler::image::format_gray8 || g.width() <= 0 || g.height() <= 0)
    return std::nullopt;
  return g;
}

ZXing::ImageView view(const PageImage& image) {
  return {image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum, image.width};
}

struct Code {
  std::string text;
  std::array<Point, 4> corners;  // zxing's order: top-left, top-right, bottom-right, bottom-left of the symbol
};

std::vector<Code> find_codes(const ZXing::ImageView& view, Point offset) {
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode)
      .setTryHarder(true)  // a few ms more on a 100 dpi page; finds blurred and skewed codes
      .setTryRotate(false)  // QR finder patterns are found in any orientation
      .setTryDownscale(false)
      .setMaxNumberOfSymbols(static_cast<std::uint8_t>(form::k_max_codes_per_page));
  std::vector<Code> codes;
  for (const ZXing::Result& r : ZXing::ReadBarcodes(view, hints)) {
    if (!r.isValid()) continue;
    Code c;
    const ZXing::ByteArray& bytes = r.bytes();
    c.text.assign(bytes.begin(), bytes.end());
    if (c.text.size() > form::k_max_code_bytes) c.text.resize(form::k_max_code_bytes);
    for (size_t i = 0; i < 4; ++i) c.corners[i] = {r.position()[i].x + offset.x, r.position()[i].y + offset.y};
    codes.push_back(std::move(c));
    if (static_cast<int>(codes.size()) == form::k_max_codes_per_page) break;
  }
  return codes;
}

// An affine map from form millimetres to image pixels: x' = a x + b y + c, y' = d x + e y + f.
struct Affine {
  double a = 0, b = 0, c = 0, d = 0, e = 0, f = 0;
  Point operator()(Point p) const { return {a * p.x + b * p.y + c, d * p.x + e * p.y + f}; }
  double px_per_mm() const { return std::sqrt(std::abs(a * e - b * d)); }
};

struct Pair {
  Point form, image;
  double weight = 1;
};

// Solves the n x n system m x = rhs (n <= 4) by Gaussian elimination; false when singular.
bool solve(int n, double m[4][4], double rhs[4], double x[4]) {
  for (int col = 0; col < n; ++col) {
    int pivot = col;
    for (int r = col + 1; r < n; ++r)
      if (std::abs(m[r][col]) > std::abs(m[pivot][col])) pivot = r;
    if (!(std::abs(m[pivot][col]) > 1e-12)) return false;
    std::swap(m[col], m[pivot]);
    std::swap(rhs[col], rhs[pivot]);
    for (int r = col + 1; r < n; ++r) {
      const double k = m[r][col] / m[col][col];
      for (int c = col; c < n; ++c) m[r][c] -= k * m[col][c];
      rhs[r] -= k * rhs[col];
    }
  }
  for (int r = n - 1; r >= 0; --r) {
    double v = rhs[r];
    for (int c = r + 1; c < n; ++c) v -= m[r][c] * x[c];
    x[r] = v / m[r][r];
  }
  return true;
}

// Least squares over `pairs`: an affine map (at least 3 pairs, not on one
// line), or with `similarity` one of rotation, uniform scale and shift only
// (at least 2 pairs: what fewer than 3 corner marks can place well); else nothing.
std::optional<Affine> fit(const std::vector<Pair>& pairs, bool similarity) {
  Affine t;
  if (similarity) {
    // x' = a x - b y + c, y' = b x + a y + d
    double m[4][4] = {}, rhs[4] = {}, v[4] = {};
    for (const Pair& p : pairs) {
      const double rows[2][4] = {{p.form.x, -p.form.y, 1, 0}, {p.form.y, p.form.x, 0, 1}};
      const double out[2] = {p.image.x, p.image.y};
      for (int r = 0; r < 2; ++r)
        for (int i = 0; i < 4; ++i) {
          for (int j = 0; j < 4; ++j) m[i][j] += p.weight * rows[r][i] * rows[r][j];
          rhs[i] += p.weight * rows[r][i] * out[r];
        }
    }
    if (!solve(4, m, rhs, v)) return std::nullopt;
    t = {v[0], -v[1], v[2], v[1], v[0], v[3]};
  } else {
    double mx[4][4] = {}, bx[4] = {}, by[4] = {}, sx[4] = {}, sy[4] = {};
    for (const Pair& p : pairs) {
      const double v[3] = {p.form.x, p.form.y, 1};
      for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j) mx[i][j] += p.weight * v[i] * v[j];
        bx[i] += p.weight * v[i] * p.image.x;
        by[i] += p.weight * v[i] * p.image.y;
      }
    }
    double my[4][4];
    std::copy(&mx[0][0], &mx[0][0] + 16, &my[0][0]);  // solve() changes what it is given
    if (!solve(3, mx, bx, sx) || !solve(3, my, by, sy)) return std::nullopt;
    t = {sx[0], sx[1], sx[2], sy[0], sy[1], sy[2]};
  }
  if (!(t.px_per_mm() > 0.5) || !std::isfinite(t.px_per_mm())) return std::nullopt;
  return t;
}

// A solid dark square of `side_px` near `at` (within `reach_px`): its
// centroid, or nothing when no dark blob of that size and shape is there.
std::optional<Point> find_mark(const Gray& g, Point at, double side_px, double reach_px) {
  const int x0 = std::max(0, static_cast<int>(std::floor(at.x - reach_px)));
  const int y0 = std::max(0, static_cast<int>(std::floor(at.y - reach_px)));
  const int x1 = std::min(g.width(), static_cast<int>(std::ceil(at.x + reach_px)));
  const int y1 = std::min(g.height(), static_cast<int>(std::ceil(at.y + reach_px)));
  const int w = x1 - x0, h = y1 - y0;
  if (w < side_px / 2 || h < side_px / 2) return std::nullopt;
  // Threshold halfway between the window's darkest and its paper.
  std::array<int, 256> histogram{};
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) ++histogram[static_cast<size_t>(g.at(x, y))];
  const long n = static_cast<long>(w) * h;
  auto percentile = [&](double q) {
    long seen = 0;
    for (int v = 0; v < 256; ++v)
      if ((seen += histogram[static_cast<size_t>(v)]) > static_cast<long>(q * static_cast<double>(n))) return v;
    return 255;
  };
  const int dark = percentile(0.01), paper = percentile(0.9);
  if (paper - dark < 60) return std::nullopt;
  const int threshold = (dark + paper) / 2;
  // Connected dark pixels (4-neighbours), each blob's area, bounds and centroid.
  std::vector<int> label(static_cast<size_t>(n), 0);
  std::vector<int> stack;
  const double expected = side_px * side_px;
  std::optional<Point> best;
  double best_distance = 0;
  int next = 0;
  for (int sy = 0; sy < h; ++sy)
    for (int sx = 0; sx < w; ++sx) {
      const size_t start = static_cast<size_t>(sy) * static_cast<size_t>(w) + static_cast<size_t>(sx);
      if (label[start] != 0 || g.at(x0 + sx, y0 + sy) > threshold) continue;
      ++next;
      label[start] = next;
      stack.assign(1, static_cast<int>(start));
      long area = 0;
      double sum_x = 0, sum_y = 0;
      int min_x = sx, max_x = sx, min_y = sy, max_y = sy;
      while (!stack.empty()) {
        const int i = stack.back();
        stack.pop_back();
        const int px = i % w, py = i / w;
        ++area;
        sum_x += px;
        sum_y += py;
        min_x = std::min(min_x, px), max_x = std::max(max_x, px);
        min_y = std::min(min_y, py), max_y = std::max(max_y, py);
        const int neighbours[4][2] = {{px - 1, py}, {px + 1, py}, {px, py - 1}, {px, py + 1}};
        for (const auto& q : neighbours) {
          if (q[0] < 0 || q[0] >= w || q[1] < 0 || q[1] >= h) continue;
          const size_t j = static_cast<size_t>(q[1]) * static_cast<size_t>(w) + static_cast<size_t>(q[0]);
          if (label[j] != 0 || g.at(x0 + q[0], y0 + q[1]) > threshold) continue;
          label[j] = next;
          stack.push_back(static_cast<int>(j));
        }
      }
      const double bw = max_x - min_x + 1, bh = max_y - min_y + 1;
      const double a = static_cast<double>(area);
      if (a < 0.5 * expected || a > 1.7 * expected) continue;
      if (bw < 0.7 * side_px || bw > 1.5 * side_px || bh < 0.7 * side_px || bh > 1.5 * side_px) continue;
      if (a < 0.7 * bw * bh) continue;  // not solid: text, a box, a line
      // Cut by the page's edge (a skewed scan) or the window: its centroid is not the mark's.
      if (min_x == 0 || min_y == 0 || max_x == w - 1 || max_y == h - 1) continue;
      // Pixel centres are at +0.5.
      const Point c{x0 + sum_x / a + 0.5, y0 + sum_y / a + 0.5};
      const double distance = std::hypot(c.x - at.x, c.y - at.y);
      if (!best || distance < best_distance) {
        best = c;
        best_distance = distance;
      }
    }
  return best;
}

// Bilinear sample at image coordinates (pixel centres at +0.5); white outside.
std::uint8_t sample(const Gray& g, Point p) {
  const double x = p.x - 0.5, y = p.y - 0.5;
  if (!(x > -1 && y > -1 && x < g.width() && y < g.height())) return 255;
  const int ix = static_cast<int>(std::floor(x)), iy = static_cast<int>(std::floor(y));
  const double fx = x - ix, fy = y - iy;
  auto px = [&](int u, int v) {
    return u < 0 || v < 0 || u >= g.width() || v >= g.height() ? 255.0 : static_cast<double>(g.at(u, v));
  };
  const double top = px(ix, iy) * (1 - fx) + px(ix + 1, iy) * fx;
  const double bottom = px(ix, iy + 1) * (1 - fx) + px(ix + 1, iy + 1) * fx;
  const double v = top * (1 - fy) + bottom * fy;
  return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

std::string base64(const std::vector<std::uint8_t>& in) {
  static const char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (size_t i = 0; i < in.size(); i += 3) {
    const unsigned b0 = in[i], b1 = i + 1 < in.size() ? in[i + 1] : 0, b2 = i + 2 < in.size() ? in[i + 2] : 0;
    const unsigned v = (b0 << 16) | (b1 << 8) | b2;
    out += k_alphabet[(v >> 18) & 63];
    out += k_alphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? k_alphabet[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? k_alphabet[v & 63] : '=';
  }
  return out;
}

// The crop of `outline` (form_scan.h), or nothing when it is larger than the summary allows.
std::optional<std::string> crop(const Gray& g, const Affine& t, const Rect& outline) {
  const double m = form::k_crop_margin_mm, scale = form::k_crop_px_per_mm;
  const long w = std::lround((outline.w + 2 * m) * scale), h = std::lround((outline.h + 2 * m) * scale);
  if (w <= 0 || h <= 0 || w > form::k_max_crop_side_px || h > form::k_max_crop_side_px) return std::nullopt;
  std::vector<std::uint8_t> pixels(static_cast<size_t>(w * h));
  for (long j = 0; j < h; ++j)
    for (long i = 0; i < w; ++i)
      pixels[static_cast<size_t>(j * w + i)] =
          sample(g, t({outline.x - m + (static_cast<double>(i) + 0.5) / scale,
                       outline.y - m + (static_cast<double>(j) + 0.5) / scale}));
  return base64(pixels);
}

Point centre(const Rect& r) { return {r.cx(), r.cy()}; }

// Reads the form's page whose code is `code` (its corners in pixels of the
// page rendered at `code_dpi`): the summary's "form" object, or nothing
// when it cannot be read.
std::optional<nlohmann::json> read_form_page(const poppler::page& page, double code_dpi, int images, const Code& code,
                                             const form::TemplateLayout& layout, const form::PageLayout& layout_page) {
  if (static_cast<int>(layout_page.boxes.size()) > form::k_max_boxes_per_page) return std::nullopt;
  std::optional<Gray> high = render(page, form::k_read_dpi, form::k_read_max_pixels, true);
  if (!high) return std::nullopt;
  const double s = high->dpi / code_dpi;
  // The code again, precisely, where the low resolution found it.
  double min_x = 1e18, min_y = 1e18, max_x = -1e18, max_y = -1e18;
  for (const Point& p : code.corners) {
    min_x = std::min(min_x, p.x * s), max_x = std::max(max_x, p.x * s);
    min_y = std::min(min_y, p.y * s), max_y = std::max(max_y, p.y * s);
  }
  const double pad = std::max(max_x - min_x, max_y - min_y) * 0.5 + 8;
  const int cx0 = std::clamp(static_cast<int>(min_x - pad), 0, high->width() - 1);
  const int cy0 = std::clamp(static_cast<int>(min_y - pad), 0, high->height() - 1);
  const int cx1 = std::clamp(static_cast<int>(max_x + pad), cx0 + 1, high->width());
  const int cy1 = std::clamp(static_cast<int>(max_y + pad), cy0 + 1, high->height());
  std::array<Point, 4> corners;
  for (size_t i = 0; i < 4; ++i) corners[i] = {code.corners[i].x * s, code.corners[i].y * s};
  for (const Code& c : find_codes(high->view().cropped(cx0, cy0, cx1 - cx0, cy1 - cy0),
                                  {static_cast<double>(cx0), static_cast<double>(cy0)}))
    if (c.text == code.text) {
      corners = c.corners;
      break;
    }
  const Rect& q = layout.qr;
  std::vector<Pair> pairs = {{{q.x, q.y}, corners[0]},
                             {{q.x + q.w, q.y}, corners[1]},
                             {{q.x + q.w, q.y + q.h}, corners[2]},
                             {{q.x, q.y + q.h}, corners[3]}};
  const std::optional<Affine> by_code = fit(pairs, false);
  if (!by_code) return std::nullopt;
  // The turn: where the symbol's top edge points, clockwise from the right.
  const double angle = std::atan2(corners[1].y - corners[0].y, corners[1].x - corners[0].x) * 180 / M_PI;
  const int turn = ((static_cast<int>(std::lround(angle / 90)) % 4 + 4) % 4) * 90;
  // The corner marks near where the code puts them. A mark found far from
  // where the others put it is dropped.
  const double ppm = by_code->px_per_mm();
  std::vector<Pair> marks;
  for (const Rect& m : layout.marks) {
    const Point predicted = (*by_code)(centre(m));
    if (auto found = find_mark(*high, predicted, m.w * ppm, (m.w / 2 + form::k_mark_search_mm) * ppm))
      marks.push_back({centre(m), *found, 4});
  }
  std::optional<Affine> t;
  for (;;) {
    // Three or four marks: an affine map of them. Fewer: the QR code's
    // corners too, and rotation, scale and shift only.
    std::vector<Pair> all = marks;
    if (marks.size() < 3) all.insert(all.end(), pairs.begin(), pairs.end());
    t = fit(all, marks.size() < 3);
    if (!t || marks.empty()) break;
    size_t worst = 0;
    double worst_mm = 0;
    for (size_t i = 0; i < marks.size(); ++i) {
      const Point p = (*t)(marks[i].form);
      const double mm = std::hypot(p.x - marks[i].image.x, p.y - marks[i].image.y) / t->px_per_mm();
      if (mm > worst_mm) worst = i, worst_mm = mm;
    }
    if (worst_mm < 1.5) break;
    marks.erase(marks.begin() + static_cast<std::ptrdiff_t>(worst));
  }
  if (!t) t = by_code;
  nlohmann::json boxes = nlohmann::json::array();
  for (const form::Box& b : layout_page.boxes) {
    std::optional<std::string> c = crop(*high, *t, b.outline);
    if (!c) return std::nullopt;
    boxes.push_back(std::move(*c));
  }
  return nlohmann::json{{field::form_code, code.text},
                        {field::form_images, images},
                        {field::form_turn, turn},
                        {field::form_marks, marks.size()},
                        {field::form_boxes, std::move(boxes)}};
}

// The summary's entry of one page (1-based `number`) with codes on it.
nlohmann::json page_entry(const poppler::page& page, int number, double code_dpi, int images,
                          const std::vector<Code>& codes) {
  nlohmann::json entry = {{field::form_page, number}, {field::form_codes, nlohmann::json::array()}};
  for (const Code& c : codes) entry[field::form_codes].push_back(c.text);
  for (const Code& c : codes) {
    const std::optional<form::FormCode> parsed = form::parse_form_code(c.text);
    if (!parsed) continue;
    const form::TemplateLayout* layout = form::form_template(parsed->template_version);
    if (layout == nullptr || parsed->page > static_cast<int>(layout->pages.size())) continue;
    if (auto f = read_form_page(page, code_dpi, images, c, *layout, layout->pages[static_cast<size_t>(parsed->page - 1)])) {
      entry[field::form] = std::move(*f);
      break;
    }
  }
  return entry;
}

}  // namespace

void read_forms(const poppler::document& doc, ImagePages& images, nlohmann::json& out) {
  nlohmann::json pages = nlohmann::json::array();
  nlohmann::json over = nlohmann::json::array();
  nlohmann::json stopped_at = nullptr;
  int searched = 0, image_pages = 0;
  const double started = cpu_ms();
  const int count = doc.pages();
  for (int i = 0; i < count; ++i) {
    if (cpu_ms() - started > form::k_search_budget_ms || fault_fires("pdf.form.search_budget") ||
        static_cast<int>(pages.size()) >= form::k_max_form_pages ||
        static_cast<int>(over.size()) >= form::k_max_form_pages) {
      stopped_at = i + 1;
      break;
    }
    std::unique_ptr<poppler::page> page(doc.create_page(i));
    if (!page) continue;
    const double page_started = cpu_ms();
    // A page that is only a scanned image is searched on that image (the
    // codes' corners put where the page rendered at the search's
    // resolution shows them); any other page is rendered.
    std::vector<Code> codes;
    ImagePages::Look look = images.look(i, form::k_search_dpi, form::k_search_max_pixels);
    if (look.largest_image > form::k_max_image_pixels) {
      over.push_back(i + 1);
      continue;
    }
    std::optional<PageImage>& image = look.image;
    if (fault_fires("pdf.form.image_pages")) image.reset();
    std::optional<Gray> low;
    if (image) {
      codes = find_codes(view(*image), {});
      const double px = form::k_search_dpi / 72;
      for (Code& c : codes)
        for (Point& p : c.corners)
          p = {(image->a * p.x + image->b * p.y + image->c) * px, (image->d * p.x + image->e * p.y + image->f) * px};
    } else {
      low = render(*page, form::k_search_dpi, form::k_search_max_pixels, false);
    }
    if (cpu_ms() - page_started > form::k_page_budget_ms || fault_fires("pdf.form.page_budget")) {
      over.push_back(i + 1);
      continue;
    }
    ++searched;
    if (image) ++image_pages;
    if (low) codes = find_codes(low->view(), {});
    if (!codes.empty())
      pages.push_back(page_entry(*page, i + 1, low ? low->dpi : form::k_search_dpi, look.images, codes));
  }
  out[field::form_pages] = std::move(pages);
  out[field::form_search] = {{field::form_pages_searched, searched},
                             {field::form_image_pages, image_pages},
                             {field::form_over_budget, std::move(over)},
                             {field::form_stopped_at, stopped_at}};
}

void warm_up_form_reader(const poppler::document& doc) {
  if (doc.pages() <= 0) return;
  std::unique_ptr<poppler::page> page(doc.create_page(0));
  if (!page) return;
  if (std::optional<Gray> g = render(*page, form::k_search_dpi, form::k_search_max_pixels, false))
    (void)find_codes(g->view(), {});
}

}  // namespace kaappi::pdf_helper
