// scan_form — the print-fill-scan simulator: takes a form PDF printed by
// `kaappi form print` and writes the PDF a scanner would make of it after a
// person filled it in (one image page per page), and a truth file saying
// what was drawn and done. For the tests, the demo and bench/omr.
//
// Each page is rendered (poppler-cpp, 300 dpi grey); page 1's boxes (where
// pdf/form_layout.h puts them) get a person's marks (tests/support/
// pen_marks.h: tick, x, filled, light, crossed, dot, empty; pen, position,
// size and angle drawn from the seed per box); then photocopy passes, the
// printer's scaling, the scanner's skew, shift and resolution, blur, noise,
// a threshold for fax, the page turn, and JPEG or Flate (8-bit or 1-bit).
// The same arguments give the same bytes. Run --help for the options.
// A single-threaded program.
#include <cstddef>
#include <cstdio>

#include <jpeglib.h>  // after cstdio: it uses size_t and FILE
#include <zlib.h>

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "pdf/form_layout.h"
#include "pdf_writer.h"
#include "support/pen_marks.h"

namespace {

using namespace kaappi::testing::pen;

constexpr const char* usage =
    "usage: scan_form IN.pdf OUT.pdf [options]\n"
    "Fills in the boxes of a form printed by kaappi form print as a person would,\n"
    "then prints and scans it by simulation: OUT.pdf has one image page per page.\n"
    "\n"
    "marks (page 1's boxes; a box not named stays empty):\n"
    "  --marks LIST        PURPOSE=KIND,... (KIND: empty tick x filled light crossed dot;\n"
    "                      PURPOSE 'all' names every box)\n"
    "  --random-marks      every box a random kind (from the seed)\n"
    "  --seed S            pen, marks and scanner noise (default 1)\n"
    "  --template V        the form's template version (default: the current one)\n"
    "scanning:\n"
    "  --dpi D             scan resolution, 72..600 (default 200)\n"
    "  --skew DEG          the page's skew on the scanner, -10..10, clockwise positive (default 0)\n"
    "  --turn T            0, 90, 180 or 270: the scan turned clockwise (default 0)\n"
    "  --scale F           the printer's scaling, 0.8..1.05 (default 1)\n"
    "  --shift X,Y         mm the page lies off on the scanner (default 0,0)\n"
    "  --blur PX           Gaussian blur, standard deviation in scan pixels (default 0.5)\n"
    "  --noise N           grey-level noise, standard deviation (default 2)\n"
    "  --jpeg Q            JPEG (DCTDecode) at quality 1..100 (default: none, FlateDecode)\n"
    "  --fax MODE          fine (204x196 dpi) or standard (204x98 dpi): 1-bit, thresholded\n"
    "  --photocopy N       copies of copies before the scan, 0..3 (default 0)\n"
    "  --truth FILE        write what was drawn and done, as JSON\n"
    "\n"
    "examples:\n"
    "  scan_form form.pdf scan.pdf --marks email-marketing=tick,research=x --truth truth.json\n"
    "  scan_form form.pdf scan.pdf --random-marks --seed 7 --dpi 150 --skew -3.5 --scale 0.96 --jpeg 70\n"
    "  scan_form form.pdf scan.pdf --marks all=light --fax standard --turn 180\n"
    "  scan_form form.pdf scan.pdf --random-marks --photocopy 2 --turn 90\n";

[[noreturn]] void die(const std::string& message, int code = 2) {
  std::fprintf(stderr, "scan_form: %s\n", message.c_str());
  std::exit(code);
}

struct Options {
  std::string in, out, truth;
  std::string marks;
  bool random_marks = false;
  unsigned seed = 1;
  int template_version = kaappi::form::current_form_template();
  double dpi = 200, skew = 0, scale = 1, shift_x = 0, shift_y = 0, blur = 0.5, noise = 2;
  int turn = 0, jpeg = 0, photocopy = 0;
  std::string fax;  // "", "fine", "standard"
};

double number(const std::string& flag, const std::string& text, double lo, double hi) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v >= lo && v <= hi))
    die(flag + " takes a number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", not '" + text + "'");
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      std::exit(0);
    } else if (a == "--marks") o.marks = value();
    else if (a == "--random-marks") o.random_marks = true;
    else if (a == "--seed") o.seed = static_cast<unsigned>(number(a, value(), 0, 4294967295.0));
    else if (a == "--template") o.template_version = static_cast<int>(number(a, value(), 1, 1000));
    else if (a == "--dpi") o.dpi = number(a, value(), 72, 600);
    else if (a == "--skew") o.skew = number(a, value(), -10, 10);
    else if (a == "--turn") {
      o.turn = static_cast<int>(number(a, value(), 0, 270));
      if (o.turn % 90 != 0) die("--turn takes 0, 90, 180 or 270");
    } else if (a == "--scale") o.scale = number(a, value(), 0.8, 1.05);
    else if (a == "--shift") {
      const std::string v = value();
      const size_t comma = v.find(',');
      if (comma == std::string::npos) die("--shift takes X,Y in mm");
      o.shift_x = number(a, v.substr(0, comma), -20, 20);
      o.shift_y = number(a, v.substr(comma + 1), -20, 20);
    } else if (a == "--blur") o.blur = number(a, value(), 0, 5);
    else if (a == "--noise") o.noise = number(a, value(), 0, 60);
    else if (a == "--jpeg") o.jpeg = static_cast<int>(number(a, value(), 1, 100));
    else if (a == "--fax") {
      o.fax = value();
      if (o.fax != "fine" && o.fax != "standard") die("--fax takes fine or standard");
    } else if (a == "--photocopy") o.photocopy = static_cast<int>(number(a, value(), 0, 3));
    else if (a == "--truth") o.truth = value();
    else if (!a.empty() && a[0] != '-' && o.in.empty()) o.in = a;
    else if (!a.empty() && a[0] != '-' && o.out.empty()) o.out = a;
    else die("unknown argument '" + a + "' (see --help)");
  }
  if (o.in.empty() || o.out.empty()) die("needs IN.pdf and OUT.pdf (see --help)");
  if (!o.fax.empty() && o.jpeg) die("--fax and --jpeg do not go together (a fax is 1-bit)");
  if (!o.marks.empty() && o.random_marks) die("--marks and --random-marks do not go together");
  return o;
}

// ---- the page image -------------------------------------------------------

constexpr double page_w = 210, page_h = 297, master_dpi = 300;

Gray render(poppler::document& doc, int index) {
  std::unique_ptr<poppler::page> page(doc.create_page(index));
  if (!page) die("cannot read page " + std::to_string(index + 1), 1);
  poppler::page_renderer renderer;
  renderer.set_render_hints(poppler::page_renderer::antialiasing | poppler::page_renderer::text_antialiasing);
  renderer.set_image_format(poppler::image::format_gray8);
  const poppler::image img = renderer.render_page(page.get(), master_dpi, master_dpi);
  if (!img.is_valid()) die("cannot render page " + std::to_string(index + 1), 1);
  // The page drawn onto an A4 sheet at 300 dpi (a page of another size is
  // placed at the top-left, as a printer without scaling does).
  const int w = static_cast<int>(page_w / 25.4 * master_dpi + 0.5), h = static_cast<int>(page_h / 25.4 * master_dpi + 0.5);
  Gray out(w, h);
  const char* data = img.const_data();
  for (int y = 0; y < std::min(h, img.height()); ++y)
    for (int x = 0; x < std::min(w, img.width()); ++x)
      out.at(x, y) = static_cast<unsigned char>(data[static_cast<size_t>(y) * img.bytes_per_row() + x]);
  return out;
}

// A photocopier: contrast, a little blur, a slight scale and shift, specks
// (logged for the truth file when log is given).
void photocopy(Gray& img, std::mt19937& rng, std::ostringstream* log) {
  const double s = uniform(rng, 0.985, 1.0), dx = uniform(rng, -0.6, 0.6), dy = uniform(rng, -0.6, 0.6);
  const double ppm = master_dpi / 25.4;
  contrast(img, uniform(rng, 140, 170), uniform(rng, 8, 12));
  blur(img, uniform(rng, 0.6, 1.0));
  img = resample(img, img.width, img.height, [&](double x, double y) {
    return std::pair{(x - dx * ppm) / s, (y - dy * ppm) / s};
  });
  std::uniform_int_distribution<int> px(0, img.width * img.height - 1);
  for (int k = 0; k < 400; ++k) {
    const int at = px(rng), size = 1 + static_cast<int>(rng() % 3);
    for (int j = 0; j < size; ++j)
      for (int i = 0; i < size; ++i) {
        const int x = at % img.width + i, y = at / img.width + j;
        if (x < img.width && y < img.height) img.at(x, y) = 40;
      }
  }
  add_noise(img, 3, rng);
  if (!log) return;
  char line[160];
  std::snprintf(line, sizeof line, "%s{\"scale\": %.4f, \"shift_mm\": [%.3f, %.3f]}", log->tellp() > 0 ? ", " : "",
                s, dx, dy);
  *log << line;
}

// The printed sheet as the scanner sees it: printer scaling about the
// page's centre, then the sheet skewed and shifted on the glass, sampled at
// dpi_x x dpi_y.
Gray scan(const Gray& master, const Options& o, double dpi_x, double dpi_y) {
  const double mppm = master_dpi / 25.4, sx = dpi_x / 25.4, sy = dpi_y / 25.4;
  const int w = static_cast<int>(page_w * sx + 0.5), h = static_cast<int>(page_h * sy + 0.5);
  const double r = -o.skew * std::numbers::pi / 180, c = std::cos(r), s = std::sin(r);
  const double cx = page_w / 2, cy = page_h / 2;
  return resample(master, w, h, [&](double x, double y) {
    // glass mm -> sheet mm (undo shift and skew) -> printed page mm (undo scaling)
    const double u = x / sx - o.shift_x - cx, v = y / sy - o.shift_y - cy;
    const double pu = c * u - s * v, pv = s * u + c * v;
    return std::pair{(cx + pu / o.scale) * mppm, (cy + pv / o.scale) * mppm};
  });
}

Gray turned(const Gray& img, int turn) {  // clockwise
  if (turn == 0) return img;
  const bool swap = turn == 90 || turn == 270;
  Gray out(swap ? img.height : img.width, swap ? img.width : img.height);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      int sx = x, sy = y;
      if (turn == 90) sx = y, sy = img.height - 1 - x;
      if (turn == 180) sx = img.width - 1 - x, sy = img.height - 1 - y;
      if (turn == 270) sx = img.width - 1 - y, sy = x;
      out.at(x, y) = img.at(sx, sy);
    }
  return out;
}

// ---- encoding -------------------------------------------------------------

std::vector<uint8_t> deflate_bytes(const std::vector<uint8_t>& in) {
  uLongf cap = compressBound(in.size());
  std::vector<uint8_t> out(cap);
  if (compress2(out.data(), &cap, in.data(), in.size(), 6) != Z_OK) die("compress failed", 1);
  out.resize(cap);
  return out;
}

std::vector<uint8_t> jpeg_bytes(const std::vector<uint8_t>& gray, int w, int h, int quality) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = static_cast<JDIMENSION>(w);
  cinfo.image_height = static_cast<JDIMENSION>(h);
  cinfo.input_components = 1;
  cinfo.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(gray.data() + static_cast<size_t>(cinfo.next_scanline) * w);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  std::vector<uint8_t> out(buffer, buffer + size);
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  return out;
}

// 1 bit a pixel, rows padded to a byte; 1 is white (DeviceGray).
std::vector<uint8_t> one_bit(const Gray& img) {
  const int row = (img.width + 7) / 8;
  std::vector<uint8_t> out(static_cast<size_t>(row) * img.height, 0);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x)
      if (img.at(x, y) >= 128) out[static_cast<size_t>(y) * row + x / 8] |= static_cast<uint8_t>(0x80 >> (x % 8));
  return out;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) < 0x20) continue;
    out += ch;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const kaappi::form::TemplateLayout* layout = kaappi::form::form_template(o.template_version);
  if (!layout) die("no form template version " + std::to_string(o.template_version));
  const std::vector<kaappi::form::Box> boxes =
      layout->pages.empty() ? std::vector<kaappi::form::Box>{} : layout->pages[0].boxes;

  // Each box's mark kind.
  std::mt19937 rng(o.seed);
  std::vector<Mark> kinds(boxes.size(), Mark::empty);
  if (o.random_marks)
    for (Mark& k : kinds) k = all_marks[rng() % std::size(all_marks)];
  std::stringstream list(o.marks);
  for (std::string item; std::getline(list, item, ',');) {
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    Mark kind{};
    if (eq == std::string::npos || !parse_mark(item.substr(eq + 1), kind))
      die("--marks takes PURPOSE=KIND,... with KIND one of empty tick x filled light crossed dot, not '" + item + "'");
    const std::string purpose = item.substr(0, eq);
    bool known = false;
    for (size_t b = 0; b < boxes.size(); ++b)
      if (purpose == "all" || purpose == boxes[b].purpose) kinds[b] = kind, known = true;
    if (!known) die("the form has no box '" + purpose + "'");
  }

  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(o.in));
  if (!doc || doc->is_locked()) die("cannot read " + o.in + " as a PDF", 1);
  const int pages = doc->pages();
  if (pages < 1) die(o.in + " has no pages", 1);

  const double dpi_x = o.fax.empty() ? o.dpi : 204;
  const double dpi_y = o.fax.empty() ? o.dpi : o.fax == "fine" ? 196 : 98;
  kaappi::testing::PdfWriter pdf;
  std::vector<int> kids;
  std::ostringstream copies;
  for (int p = 0; p < pages; ++p) {
    Gray master = render(*doc, p);
    if (p == 0) {
      const double ppm = master_dpi / 25.4;
      for (size_t b = 0; b < boxes.size(); ++b) {
        std::mt19937 pen(o.seed * 7919u + static_cast<unsigned>(b) * 104729u + 17u);
        const kaappi::form::Rect& r = boxes[b].outline;
        draw(master, mark_strokes(kinds[b], r.x, r.y, r.w, pen), {ppm, ppm, 0, 0});
      }
    }
    for (int k = 0; k < o.photocopy; ++k) photocopy(master, rng, p == 0 ? &copies : nullptr);
    Gray page = scan(master, o, dpi_x, dpi_y);
    levels(page, 242, 22);
    blur(page, o.blur);
    add_noise(page, o.noise, rng);
    if (!o.fax.empty()) threshold(page, 128);
    page = turned(page, o.turn);

    std::vector<uint8_t> data;
    std::string head;
    if (!o.fax.empty()) {
      data = deflate_bytes(one_bit(page));
      head = " /BitsPerComponent 1 /Filter /FlateDecode";
    } else if (o.jpeg) {
      data = jpeg_bytes(page.bytes(), page.width, page.height, o.jpeg);
      head = " /BitsPerComponent 8 /Filter /DCTDecode";
    } else {
      data = deflate_bytes(page.bytes());
      head = " /BitsPerComponent 8 /Filter /FlateDecode";
    }
    const int image = pdf.add("<< /Type /XObject /Subtype /Image /Width " + std::to_string(page.width) + " /Height " +
                                  std::to_string(page.height) + " /ColorSpace /DeviceGray" + head + " /Length " +
                                  std::to_string(data.size()) + " >>",
                              &data);
    const bool landscape = o.turn == 90 || o.turn == 270;
    const std::string w = landscape ? "841.89" : "595.28", h = landscape ? "595.28" : "841.89";
    const std::string content = "q " + w + " 0 0 " + h + " 0 0 cm /Im0 Do Q\n";
    const std::vector<uint8_t> cbytes(content.begin(), content.end());
    const int contents = pdf.add("<< /Length " + std::to_string(cbytes.size()) + " >>", &cbytes);
    kids.push_back(pdf.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + w + " " + h +
                           "] /Resources << /XObject << /Im0 " + std::to_string(image) + " 0 R >> >> /Contents " +
                           std::to_string(contents) + " 0 R >>"));
  }
  const std::string bytes = pdf.finish(kids, "<< /Producer (kaappi scan simulator) /Creator (scan_form) >>");
  FILE* f = std::fopen(o.out.c_str(), "wb");
  if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0)
    die("cannot write " + o.out, 1);

  if (!o.truth.empty()) {
    std::ostringstream t;
    char num[64];
    auto fixed = [&](double v) {
      std::snprintf(num, sizeof num, "%.4g", v);
      return std::string(num);
    };
    t << "{\n  \"form\": " << json_string(o.in) << ",\n  \"scan\": " << json_string(o.out)
      << ",\n  \"template\": " << o.template_version << ",\n  \"seed\": " << o.seed << ",\n  \"pages\": " << pages
      << ",\n  \"boxes\": [";
    for (size_t b = 0; b < boxes.size(); ++b)
      t << (b ? ",\n" : "\n") << "    {\"page\": 1, \"purpose\": " << json_string(boxes[b].purpose)
        << ", \"mark\": \"" << mark_name(kinds[b]) << "\", \"meant\": \"" << meant(kinds[b]) << "\"}";
    t << "\n  ],\n  \"degradations\": {\"dpi_x\": " << fixed(dpi_x) << ", \"dpi_y\": " << fixed(dpi_y)
      << ", \"skew_deg\": " << fixed(o.skew) << ", \"turn\": " << o.turn << ", \"scale\": " << fixed(o.scale)
      << ", \"shift_mm\": [" << fixed(o.shift_x) << ", " << fixed(o.shift_y) << "], \"blur_px\": " << fixed(o.blur)
      << ", \"noise\": " << fixed(o.noise) << ", \"jpeg_quality\": " << o.jpeg << ", \"fax\": "
      << json_string(o.fax.empty() ? "none" : o.fax) << ", \"bits\": " << (o.fax.empty() ? 8 : 1)
      << ", \"encoding\": \"" << (!o.fax.empty() ? "flate-1bit" : o.jpeg ? "dct" : "flate-8bit")
      << "\", \"photocopies\": [" << copies.str() << "]}\n}\n";
    const std::string text = t.str();
    FILE* tf = std::fopen(o.truth.c_str(), "wb");
    if (!tf || std::fwrite(text.data(), 1, text.size(), tf) != text.size() || std::fclose(tf) != 0)
      die("cannot write " + o.truth, 1);
  }
  return 0;
}
