// make_qr_page — writes an A4 page with one QR code on it as a grey PGM
// image, for tests of the PDF helper's form reader with codes kaappi never
// printed (another program's code, a damaged one):
//
//   make_qr_page OUT.pgm TEXT [--dpi D] [--x MM] [--y MM] [--size MM]
//
// The code (libqrencode, level M, 8-bit mode) is drawn with its top-left
// corner at (x, y) millimetres from the page's top-left (default 20, 20),
// size MM wide (default 30), at D dots per inch (default 200), black on
// paper white (250). A JPEG encoder (cjpeg) and make_scan_pdf --jpeg make a
// scan-like PDF of it. Single-threaded.
#include <qrencode.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: make_qr_page OUT.pgm TEXT [--dpi D] [--x MM] [--y MM] [--size MM]\n");
    return 2;
  }
  double dpi = 200, x_mm = 20, y_mm = 20, size_mm = 30;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    double v = std::atof(argv[i + 1]);
    if (a == "--dpi") dpi = v;
    else if (a == "--x") x_mm = v;
    else if (a == "--y") y_mm = v;
    else if (a == "--size") size_mm = v;
    else {
      std::fprintf(stderr, "make_qr_page: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  QRcode* q = QRcode_encodeString(argv[2], 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (q == nullptr) {
    std::fprintf(stderr, "make_qr_page: cannot encode\n");
    return 1;
  }
  const double px_per_mm = dpi / 25.4;
  const int w = static_cast<int>(std::lround(210 * px_per_mm)), h = static_cast<int>(std::lround(297 * px_per_mm));
  std::vector<unsigned char> img(static_cast<size_t>(w) * static_cast<size_t>(h), 250);
  const double module = size_mm / q->width;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double mx = (x + 0.5) / px_per_mm - x_mm, my = (y + 0.5) / px_per_mm - y_mm;
      if (mx < 0 || my < 0 || mx >= size_mm || my >= size_mm) continue;
      const int u = static_cast<int>(mx / module), v = static_cast<int>(my / module);
      if (q->data[v * q->width + u] & 1) img[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)] = 0;
    }
  QRcode_free(q);
  FILE* f = std::fopen(argv[1], "wb");
  if (f == nullptr) return 1;
  std::fprintf(f, "P5\n%d %d\n255\n", w, h);
  const bool ok = std::fwrite(img.data(), 1, img.size(), f) == img.size();
  return std::fclose(f) == 0 && ok ? 0 : 1;
}
