// make_scan_pdf — writes PDFs like an office scanner makes (image-only pages)
// and deliberately broken ones, for the demo, the tests and the benchmarks.
//
//   make_scan_pdf OUT.pdf [--pages N] [--form consent|contract|blank]
//                 [--seed S] [--ticks MASK] [--size-mb MB] [--zero-pages]
//                 [--bomb-mb MB] [--text TEXT] [--photo-kb KB]
//                 [--jpeg FILE.jpg] [--pgm-300dpi OUT.pgm]
//
// Pages are 8-bit grey A4 images at 100 dpi (827x1169), FlateDecode, drawn
// with a form layout (title bar, text lines, nine tick boxes, a signature)
// and scanner noise. --size-mb pads with incompressible noise pages until the
// file is at least that big. --zero-pages writes a valid PDF whose page tree is
// empty; --bomb-mb adds a content stream that inflates to MB megabytes;
// --text adds a real text layer (Helvetica) to the first page. --photo-kb
// fills the lower part of the first page with about KB kilobytes of
// incompressible grey (a photo or heavy scanner noise), so the file is about
// that big, as an office scanner's 300 dpi page is (benchmarks).
//
// An office scanner's 300 dpi page is a JPEG (DCTDecode) image; --jpeg makes
// the first page that image (baseline or progressive, grey or colour, its
// size read from the file), and --pgm-300dpi writes the first page drawn as a
// 300 dpi grey image (2481x3507, with the fine grain of paper under a
// scanner) for a JPEG encoder, such as Debian's cjpeg, to make that JPEG:
//   make_scan_pdf x --pgm-300dpi p.pgm && cjpeg -grayscale -quality 80 p.pgm > p.jpg
//   make_scan_pdf scan.pdf --jpeg p.jpg
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "pdf_writer.h"

namespace {

struct Options {
  std::string out;
  int pages = 1;
  std::string form = "consent";
  unsigned seed = 1;
  unsigned ticks = 0x1f;
  long size_mb = 0;
  bool zero_pages = false;
  long bomb_mb = 0;
  std::string text;
  long photo_kb = 0;
  std::string jpeg;
  std::string pgm_300dpi;
};

constexpr int W = 827, H = 1169;

std::vector<uint8_t> deflate_bytes(const std::vector<uint8_t>& in, int level) {
  uLongf cap = compressBound(in.size());
  std::vector<uint8_t> out(cap);
  if (compress2(out.data(), &cap, in.data(), in.size(), level) != Z_OK) {
    std::fprintf(stderr, "compress failed\n");
    std::exit(1);
  }
  out.resize(cap);
  return out;
}

struct Page {
  std::vector<uint8_t> img;
  void rect(int x, int y, int w, int h, uint8_t v) {
    for (int j = y; j < y + h && j < H; ++j)
      for (int i = x; i < x + w && i < W; ++i)
        if (i >= 0 && j >= 0) img[static_cast<size_t>(j) * W + i] = v;
  }
  void box(int x, int y, int s, int t) {
    rect(x, y, s, t, 0);
    rect(x, y + s - t, s, t, 0);
    rect(x, y, t, s, 0);
    rect(x + s - t, y, t, s, 0);
  }
  void tick(int x, int y, int s) {
    for (int k = 0; k < s; ++k) {
      rect(x + k, y + k, 3, 3, 20);
      rect(x + s - k, y + k, 3, 3, 20);
    }
  }
};

Page draw_page(const Options& o, int index, std::mt19937& rng) {
  Page p;
  p.img.assign(static_cast<size_t>(W) * H, 250);
  if (o.form == "blank") return p;
  std::uniform_int_distribution<int> len(200, 640);
  p.rect(60, 50, W - 120, 60, 40);  // title bar
  int y = 150;
  for (int line = 0; line < 10; ++line, y += 28) p.rect(70, y, len(rng), 12, 60);  // "text"
  if (o.form == "consent" && index == 0) {
    y += 20;
    for (int b = 0; b < 9; ++b, y += 48) {
      p.box(80, y, 30, 3);
      if (o.ticks & (1u << b)) p.tick(84, y + 4, 22);
      p.rect(130, y + 10, len(rng) / 2, 12, 70);
    }
  } else {
    for (int line = 0; line < 18; ++line, y += 28) p.rect(70, y, len(rng), 12, 60);
  }
  // signature squiggle and line
  p.rect(80, H - 180, 300, 2, 0);
  std::uniform_int_distribution<int> wiggle(-6, 6);
  int sy = H - 200;
  for (int x = 90; x < 360; x += 2) {
    sy += wiggle(rng);
    if (sy < H - 240) sy = H - 240;
    if (sy > H - 185) sy = H - 185;
    p.rect(x, sy, 3, 3, 10);
  }
  // scanner noise: a sprinkle of dark specks
  std::uniform_int_distribution<int> px(0, W * H - 1);
  for (int k = 0; k < 3000; ++k) p.img[static_cast<size_t>(px(rng))] = static_cast<uint8_t>(rng() % 160);
  return p;
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::vector<uint8_t> bytes;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    std::perror(path.c_str());
    std::exit(1);
  }
  uint8_t buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  std::fclose(f);
  return bytes;
}

// A JPEG's width, height and components, from its first start-of-frame marker.
struct JpegSize {
  int width = 0, height = 0, components = 0;
};
JpegSize jpeg_size(const std::vector<uint8_t>& j) {
  for (size_t at = 2; at + 9 < j.size();) {
    if (j[at] != 0xFF) break;
    const uint8_t marker = j[at + 1];
    const size_t length = static_cast<size_t>(j[at + 2]) << 8 | j[at + 3];
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
      return {j[at + 7] << 8 | j[at + 8], j[at + 5] << 8 | j[at + 6], j[at + 9]};
    at += 2 + length;
  }
  std::fprintf(stderr, "not a JPEG with a start-of-frame marker\n");
  std::exit(1);
}

// The page at 300 dpi: each pixel three by three, with fine grain (-2..2
// grey levels, about 1.1 levels standard deviation; three bits of a 64-bit
// xorshift a pixel, so that 400 pages take seconds, not minutes).
void write_pgm_300dpi(const std::string& path, const std::vector<uint8_t>& page, std::mt19937& rng) {
  constexpr int scale = 3;
  constexpr int grain[8] = {-2, -1, -1, 0, 0, 1, 1, 2};
  std::uint64_t state = (static_cast<std::uint64_t>(rng()) << 32 | rng()) | 1;
  std::string out = "P5\n" + std::to_string(W * scale) + " " + std::to_string(H * scale) + "\n255\n";
  std::string row(static_cast<size_t>(W * scale), '\0');
  for (int y = 0; y < H * scale; ++y) {
    std::uint64_t bits = 0;
    for (int x = 0; x < W * scale; ++x) {
      if (x % 21 == 0) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bits = state;
      }
      const int v = page[static_cast<size_t>(y / scale) * W + static_cast<size_t>(x / scale)] + grain[bits & 7];
      bits >>= 3;
      row[static_cast<size_t>(x)] = static_cast<char>(std::clamp(v, 0, 255));
    }
    out += row;
  }
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(out.data(), 1, out.size(), f) != out.size() || std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--pages") o.pages = std::atoi(next().c_str());
    else if (a == "--form") o.form = next();
    else if (a == "--photo-kb") o.photo_kb = std::atol(next().c_str());
    else if (a == "--seed") o.seed = static_cast<unsigned>(std::strtoul(next().c_str(), nullptr, 10));
    else if (a == "--ticks") o.ticks = static_cast<unsigned>(std::strtoul(next().c_str(), nullptr, 0));
    else if (a == "--size-mb") o.size_mb = std::atol(next().c_str());
    else if (a == "--zero-pages") o.zero_pages = true;
    else if (a == "--bomb-mb") o.bomb_mb = std::atol(next().c_str());
    else if (a == "--text") o.text = next();
    else if (a == "--jpeg") o.jpeg = next();
    else if (a == "--pgm-300dpi") o.pgm_300dpi = next();
    else if (o.out.empty() && a[0] != '-') o.out = a;
    else {
      std::fprintf(stderr, "usage: make_scan_pdf OUT.pdf [--pages N] [--form consent|contract|blank] [--seed S] "
                           "[--ticks MASK] [--size-mb MB] [--zero-pages] [--bomb-mb MB] [--text TEXT] [--photo-kb KB] "
                           "[--jpeg FILE.jpg] [--pgm-300dpi OUT.pgm]\n");
      return 2;
    }
  }
  if (o.out.empty()) return 2;
  std::mt19937 rng(o.seed);
  kaappi::testing::PdfWriter w;  // objects 1 and 2, catalog and page tree, are written last with known kids
  w.out.reserve(1 << 20);
  std::vector<int> kids;
  int font = 0;
  if (!o.text.empty()) font = w.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  long target = o.size_mb << 20;
  for (int index = 0; !o.zero_pages && (index < o.pages || static_cast<long>(w.out.size()) < target); ++index) {
    std::vector<uint8_t> img;
    int level = 6;
    if (index >= o.pages) {  // padding pages: incompressible noise
      img.resize(static_cast<size_t>(W) * H);
      for (auto& b : img) b = static_cast<uint8_t>(rng());
      level = 1;
    } else {
      img = draw_page(o, index, rng).img;
      if (index == 0 && o.photo_kb > 0) {  // the last rows, as many as the size asks for
        const long rows = std::min<long>(H, o.photo_kb * 1024 / W);
        for (size_t at = static_cast<size_t>(H - rows) * W; at < img.size(); ++at) img[at] = static_cast<uint8_t>(rng());
      }
    }
    if (index == 0 && !o.pgm_300dpi.empty()) write_pgm_300dpi(o.pgm_300dpi, img, rng);
    int image = 0;
    if (index == 0 && !o.jpeg.empty()) {
      const std::vector<uint8_t> jpeg = read_file(o.jpeg);
      const JpegSize size = jpeg_size(jpeg);
      image = w.add("<< /Type /XObject /Subtype /Image /Width " + std::to_string(size.width) + " /Height " +
                        std::to_string(size.height) + " /ColorSpace " +
                        (size.components == 1 ? "/DeviceGray" : "/DeviceRGB") +
                        " /BitsPerComponent 8 /Filter /DCTDecode /Length " + std::to_string(jpeg.size()) + " >>",
                    &jpeg);
    } else {
      auto z = deflate_bytes(img, level);
      image = w.add("<< /Type /XObject /Subtype /Image /Width " + std::to_string(W) + " /Height " +
                        std::to_string(H) + " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode "
                        "/Length " + std::to_string(z.size()) + " >>",
                    &z);
    }
    std::string content = "q 595.28 0 0 841.89 0 0 cm /Im0 Do Q\n";
    if (index == 0 && !o.text.empty()) content += "BT /F1 10 Tf 40 20 Td (" + o.text + ") Tj ET\n";
    std::vector<uint8_t> cbytes(content.begin(), content.end());
    std::vector<uint8_t> cz;
    if (index == 0 && o.bomb_mb > 0) {
      // Stream the filler through deflate so a huge bomb needs little memory.
      std::string filler;
      while (filler.size() < (1u << 20)) filler += "0 0 m\n";
      filler.resize(1u << 20);
      z_stream zs{};
      deflateInit(&zs, 9);
      std::vector<uint8_t> buf(1 << 16);
      auto pump = [&](const uint8_t* data, size_t len, int flush) {
        zs.next_in = const_cast<uint8_t*>(data);
        zs.avail_in = static_cast<uInt>(len);
        do {
          zs.next_out = buf.data();
          zs.avail_out = static_cast<uInt>(buf.size());
          deflate(&zs, flush);
          cz.insert(cz.end(), buf.data(), buf.data() + (buf.size() - zs.avail_out));
        } while (zs.avail_out == 0 || (flush == Z_FINISH && zs.avail_in > 0));
      };
      pump(cbytes.data(), cbytes.size(), Z_NO_FLUSH);
      for (long mb = 0; mb < o.bomb_mb; ++mb)
        pump(reinterpret_cast<const uint8_t*>(filler.data()), filler.size(), Z_NO_FLUSH);
      pump(nullptr, 0, Z_FINISH);
      deflateEnd(&zs);
    } else {
      cz = deflate_bytes(cbytes, 9);
    }
    int contents = w.add("<< /Filter /FlateDecode /Length " + std::to_string(cz.size()) + " >>", &cz);
    std::string resources = "<< /XObject << /Im0 " + std::to_string(image) + " 0 R >>";
    if (font) resources += " /Font << /F1 " + std::to_string(font) + " 0 R >>";
    resources += " >>";
    int page = w.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources " + resources +
                     " /Contents " + std::to_string(contents) + " 0 R >>");
    kids.push_back(page);
  }
  w.finish(kids, "<< /Producer (kaappi test scanner) /Creator (make_scan_pdf) /Title (Scan " + std::to_string(o.seed) +
                     ") >>");
  FILE* f = std::fopen(o.out.c_str(), "wb");
  if (!f || std::fwrite(w.out.data(), 1, w.out.size(), f) != w.out.size() || std::fclose(f) != 0) {
    std::perror(o.out.c_str());
    return 1;
  }
  return 0;
}
