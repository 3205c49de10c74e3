// box_reading.cpp — see box_reading.h. The steps: the paper's grey level;
// the printed outline found within ±1.5 mm of where it belongs (the square
// ring of ink with paper just outside it); the paper's grain (the scanner's
// noise) measured outside it; inside it, ink and faint grey (darker than the
// paper by more than its grain) measured, the largest ink mark's size and
// how many strokes a line across the box crosses; then the rules at
// decide(). Pure; safe from any thread.
#include "forms/box_reading.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace kaappi::form {
namespace {

constexpr int min_crop = 40, max_crop = 400;

// Thresholds, in px at 8 px/mm and in shares of the inside.
constexpr int search_px = 12;            // ±1.5 mm around the expected outline
constexpr int band = 3;                  // half-width of the band a line is looked for in
constexpr int inset = 5;                 // the inside starts this far in from the line's centre
constexpr double min_line_dark = 60;     // grey levels the outline's band must be darker than paper, every side
constexpr double min_ring_contrast = 45;  // and darker than the paper just outside it
constexpr double ink_share = 0.5;        // a pixel is ink when this much of the way from paper to the line's ink
constexpr double faint_share = 0.015;    // faint grey (pencil): a 3x3 mean this share of the ink darker than the paper ...
constexpr double faint_grains = 4;       // ... and this many times the spread of the paper's own 3x3 means
constexpr int faint_reach = 4;           // px: faint pixels this close are one stroke
constexpr int clear_px = 8;              // the paper's grain is measured this far outside the line's centre
constexpr size_t min_around = 200;       // px of paper needed outside the outline (else the inside is used)
constexpr int faint_inset = 7;           // faint grey is looked for this far in (clear of the line's blur)
constexpr double filled_fill = 0.50;     // ink over this share of the inside: filled
constexpr double crossed_fill = 0.38;    // ink over this share: more than a tick or an X
constexpr double crossed_crossings = 2.6;  // lines across crossing this many strokes: scribbled over
constexpr int tick_extent = 22;          // px (2.75 mm): a mark this large is a tick or an X
constexpr int stray_extent = 10;         // px (1.25 mm): below this a mark is a speck, the box empty
constexpr double min_tick_fill = 0.02;
constexpr int max_tick_marks = 3;       // more separate ink marks than this: strokes over strokes

struct Integral {
  int w = 0, h = 0;
  std::vector<double> s;  // (w+1) x (h+1)
  double sum(int x0, int y0, int x1, int y1) const {  // [x0, x1) x [y0, y1), clipped
    x0 = std::clamp(x0, 0, w), x1 = std::clamp(x1, 0, w), y0 = std::clamp(y0, 0, h), y1 = std::clamp(y1, 0, h);
    if (x1 <= x0 || y1 <= y0) return 0;
    const auto at = [&](int x, int y) { return s[static_cast<size_t>(y) * (w + 1) + x]; };
    return at(x1, y1) - at(x0, y1) - at(x1, y0) + at(x0, y0);
  }
  double mean(int x0, int y0, int x1, int y1) const {
    const int ax0 = std::clamp(x0, 0, w), ax1 = std::clamp(x1, 0, w), ay0 = std::clamp(y0, 0, h),
              ay1 = std::clamp(y1, 0, h);
    const double n = static_cast<double>(std::max(0, ax1 - ax0)) * std::max(0, ay1 - ay0);
    return n > 0 ? sum(x0, y0, x1, y1) / n : 0;
  }
};

Integral integral(const std::vector<double>& v, int w, int h) {
  Integral in{w, h, std::vector<double>(static_cast<size_t>(w + 1) * (h + 1), 0)};
  for (int y = 0; y < h; ++y) {
    double row = 0;
    for (int x = 0; x < w; ++x) {
      row += v[static_cast<size_t>(y) * w + x];
      in.s[static_cast<size_t>(y + 1) * (w + 1) + x + 1] = in.s[static_cast<size_t>(y) * (w + 1) + x + 1] + row;
    }
  }
  return in;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

struct Ring {
  double score = -1e9, weakest_side = 0, contrast = 0;
  int x = 0, y = 0, side = 0;
};

// The mean darkness of each side's band and of the paper just outside it,
// for an outline whose line's centre is the square at (x, y), side s.
Ring ring_at(const Integral& d, int x, int y, int s) {
  const double top = d.mean(x - band, y - band, x + s + band, y + band);
  const double bottom = d.mean(x - band, y + s - band, x + s + band, y + s + band);
  const double left = d.mean(x - band, y + band, x + band, y + s - band);
  const double right = d.mean(x + s - band, y + band, x + s + band, y + s - band);
  constexpr int o0 = band + 2, o1 = band + 5;  // the paper outside
  const double outside = (d.mean(x - o1, y - o1, x + s + o1, y - o0) + d.mean(x - o1, y + s + o0, x + s + o1, y + s + o1) +
                          d.mean(x - o1, y - o0, x - o0, y + s + o0) + d.mean(x + s + o0, y - o0, x + s + o1, y + s + o0)) /
                         4;
  Ring r;
  r.x = x, r.y = y, r.side = s;
  r.weakest_side = std::min({top, bottom, left, right});
  r.contrast = (top + bottom + left + right) / 4 - outside;
  r.score = r.contrast + r.weakest_side;
  return r;
}

// The extent of the marks in mask (w x h): the larger side of the box
// around every component of at least min_count pixels, pixels up to `reach`
// apart counted as connected (a thin stroke broken by a threshold stays one
// stroke; specks of noise count for nothing); with `largest`, the larger side
// of the largest component's box alone (specks apart make no stroke).
int marks_extent(const std::vector<uint8_t>& mask, int w, int h, int* marks = nullptr, int reach = 3, int min_count = 8,
                 bool largest = false) {
  std::vector<uint8_t> seen(mask.size(), 0);
  std::vector<int> stack;
  int x0 = w, x1 = -1, y0 = h, y1 = -1, counted = 0, largest_extent = 0;
  for (int start = 0; start < w * h; ++start) {
    if (!mask[static_cast<size_t>(start)] || seen[static_cast<size_t>(start)]) continue;
    int count = 0, cx0 = w, cx1 = -1, cy0 = h, cy1 = -1;
    stack.assign(1, start);
    seen[static_cast<size_t>(start)] = 1;
    while (!stack.empty()) {
      const int p = stack.back();
      stack.pop_back();
      const int px = p % w, py = p / w;
      ++count;
      cx0 = std::min(cx0, px), cx1 = std::max(cx1, px), cy0 = std::min(cy0, py), cy1 = std::max(cy1, py);
      for (int dy = -reach; dy <= reach; ++dy)
        for (int dx = -reach; dx <= reach; ++dx) {
          const int nx = px + dx, ny = py + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const size_t q = static_cast<size_t>(ny) * w + nx;
          if (mask[q] && !seen[q]) {
            seen[q] = 1;
            stack.push_back(static_cast<int>(q));
          }
        }
    }
    if (count < min_count) continue;
    ++counted;
    largest_extent = std::max(largest_extent, std::max(cx1 - cx0, cy1 - cy0) + 1);
    x0 = std::min(x0, cx0), x1 = std::max(x1, cx1), y0 = std::min(y0, cy0), y1 = std::max(y1, cy1);
  }
  if (marks) *marks = counted;
  if (largest) return largest_extent;
  return x1 < 0 ? 0 : std::max(x1 - x0, y1 - y0) + 1;
}

// Strokes crossed by a line through the mask: runs of ink at least 2 px
// long, a gap of 1 px not ending a run.
int runs_along(const std::vector<uint8_t>& mask, int start, int step, int n) {
  int runs = 0, length = 0, gap = 2;
  for (int i = 0; i < n; ++i) {
    if (mask[static_cast<size_t>(start + i * step)] != 0) {
      if (gap >= 2) length = 0;  // a new run (a 1 px gap continues the old one)
      if (++length == 2) ++runs;
      gap = 0;
    } else {
      ++gap;
    }
  }
  return runs;
}

double crossings_of(const std::vector<uint8_t>& mask, int w, int h) {
  std::vector<double> rows, columns;
  for (int y = 0; y < h; ++y)
    if (const int r = runs_along(mask, y * w, 1, w); r > 0) rows.push_back(r);
  for (int x = 0; x < w; ++x)
    if (const int r = runs_along(mask, x, w, h); r > 0) columns.push_back(r);
  return std::max(percentile(rows, 0.9), percentile(columns, 0.9));
}

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

BoxReading unsure(UnsureReason why, const BoxMeasures& m) {
  BoxReading r;
  r.mark = BoxMark::unsure;
  r.confidence = 0;
  r.reason = why;
  r.measures = m;
  return r;
}

BoxReading decided(BoxMark mark, double confidence, const BoxMeasures& m) {
  BoxReading r;
  r.mark = mark;
  r.confidence = std::clamp(confidence, 0.5, 1.0);
  r.reason = UnsureReason::none;
  r.measures = m;
  return r;
}

// The rules, in order: a box full of ink is filled; ink over a tick's
// share, strokes crossing strokes or many separate marks is crossed out; one
// large ink mark is a tick (or an X); a large faint mark without ink is light
// pencil; a mark between a speck and a tick is a stray mark; else empty.
BoxReading decide(const BoxMeasures& m) {
  if (m.dark_fill >= filled_fill) return unsure(UnsureReason::filled, m);
  if (m.dark_fill >= crossed_fill || m.crossings >= crossed_crossings || m.dark_marks > max_tick_marks)
    return unsure(UnsureReason::crossed_out, m);
  if (m.dark_extent >= tick_extent && m.dark_fill >= min_tick_fill) {
    const double by_size = clamp01((m.dark_extent - tick_extent) / 8.0);
    const double by_fill = clamp01((crossed_fill - m.dark_fill) / 0.08);
    const double by_crossings = clamp01((crossed_crossings - m.crossings) / 0.6);
    return decided(BoxMark::ticked, 0.5 + 0.5 * std::min({by_size, by_fill, by_crossings}), m);
  }
  if (m.dark_extent >= stray_extent) return unsure(UnsureReason::stray_mark, m);
  if (m.faint_extent >= stray_extent + 6) return unsure(UnsureReason::light_pencil, m);
  const double by_specks = clamp01((stray_extent - m.dark_extent) / 6.0);
  const double by_faint = clamp01((stray_extent + 6 - m.faint_extent) / 10.0);
  return decided(BoxMark::empty, 0.5 + 0.5 * std::min(by_specks, by_faint), m);
}

}  // namespace

BoxReading read_box(std::span<const std::uint8_t> gray, int width, int height, double box_mm) {
  BoxMeasures m;
  if (width < min_crop || height < min_crop || width > max_crop || height > max_crop ||
      gray.size() != static_cast<size_t>(width) * static_cast<size_t>(height) || !(box_mm >= 3 && box_mm <= 30))
    return unsure(UnsureReason::bad_crop, m);
  const int side = static_cast<int>(std::lround(box_mm * k_crop_px_per_mm));
  if (side + 2 * (inset + 4) > std::min(width, height)) return unsure(UnsureReason::bad_crop, m);

  // The paper: the lighter pixels' level. Darkness is how far below it a pixel is.
  std::vector<double> values(gray.begin(), gray.end());
  m.paper = percentile(values, 0.9);
  std::vector<double> dark(values.size());
  for (size_t i = 0; i < values.size(); ++i) dark[i] = std::max(0.0, m.paper - values[i]);
  const Integral d = integral(dark, width, height);

  // The outline: the best ring within the search window, sides a little
  // shorter or longer (what registration leaves of printer scaling).
  const int ex = (width - side) / 2, ey = (height - side) / 2;
  Ring best;
  for (int s = side - 3; s <= side + 2; ++s)
    for (int y = ey - search_px; y <= ey + search_px; ++y)
      for (int x = ex - search_px; x <= ex + search_px; ++x) {
        if (x - band < 0 || y - band < 0 || x + s + band > width || y + s + band > height) continue;
        const Ring r = ring_at(d, x, y, s);
        if (r.score > best.score) best = r;
      }
  if (m.paper < 100 || best.weakest_side < min_line_dark || best.contrast < min_ring_contrast)
    return unsure(UnsureReason::outline_not_found, m);
  m.outline_found = true;
  m.outline_x = best.x, m.outline_y = best.y, m.outline_side = best.side;

  // The ink's level: the darkest tenth along the line's centre.
  std::vector<double> line;
  for (int i = 0; i <= best.side; ++i) {
    line.push_back(dark[static_cast<size_t>(best.y) * width + best.x + i]);
    line.push_back(dark[static_cast<size_t>(best.y + best.side) * width + best.x + i]);
    line.push_back(dark[static_cast<size_t>(best.y + i) * width + best.x]);
    line.push_back(dark[static_cast<size_t>(best.y + i) * width + best.x + best.side]);
  }
  const double ink_dark = percentile(line, 0.9);
  m.ink = m.paper - ink_dark;
  if (ink_dark < min_line_dark) return unsure(UnsureReason::outline_not_found, m);

  // Inside the outline, the line itself left out.
  const int ix = best.x + inset, iy = best.y + inset, n = best.side - 2 * inset;
  std::vector<uint8_t> ink_mask(static_cast<size_t>(n) * n);
  size_t inked = 0;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      const size_t at = static_cast<size_t>(y) * n + x;
      ink_mask[at] = dark[static_cast<size_t>(iy + y) * width + ix + x] >= ink_share * ink_dark;
      inked += ink_mask[at];
    }
  // The paper's own grain: the 3x3 means over the paper outside the outline
  // (clear of the line's blur), their median and robust spread.
  const auto mean3 = [&](int x, int y) { return d.mean(x - 1, y - 1, x + 2, y + 2); };
  std::vector<double> around;
  for (int y = 1; y + 1 < height; ++y)
    for (int x = 1; x + 1 < width; ++x)
      if (x < best.x - clear_px || y < best.y - clear_px || x > best.x + best.side + clear_px ||
          y > best.y + best.side + clear_px)
        around.push_back(mean3(x, y));
  if (around.size() < min_around) {  // the outline near the crop's edge: the inside instead
    around.clear();
    for (int y = best.y + faint_inset; y <= best.y + best.side - faint_inset; ++y)
      for (int x = best.x + faint_inset; x <= best.x + best.side - faint_inset; ++x) around.push_back(mean3(x, y));
  }
  m.grain_level = percentile(around, 0.5);
  for (double& v : around) v = std::abs(v - m.grain_level);
  m.grain = 1.4826 * percentile(around, 0.5);
  // Faint grey: the 3x3 mean (noise averaged out), further in, darker than
  // the paper's grain by a share of the ink and by several times its spread.
  const double faint_at = m.grain_level + std::max(faint_share * ink_dark, faint_grains * m.grain);
  const int fx = best.x + faint_inset, fy = best.y + faint_inset, fn = best.side - 2 * faint_inset;
  std::vector<uint8_t> faint_mask(static_cast<size_t>(std::max(fn, 1)) * std::max(fn, 1), 0);
  size_t faint = 0;
  for (int y = 0; y < fn; ++y)
    for (int x = 0; x < fn; ++x) {
      const double mean = mean3(fx + x, fy + y);
      const bool ink = dark[static_cast<size_t>(fy + y) * width + fx + x] >= ink_share * ink_dark;
      faint_mask[static_cast<size_t>(y) * fn + x] = mean >= faint_at || ink;
      faint += mean >= faint_at && !ink;
    }
  const double area = static_cast<double>(n) * n;
  m.dark_fill = static_cast<double>(inked) / area;
  m.light_fill = fn > 0 ? static_cast<double>(faint) / (static_cast<double>(fn) * fn) : 0;
  m.dark_extent = marks_extent(ink_mask, n, n, &m.dark_marks);
  m.faint_extent = fn > 0 ? marks_extent(faint_mask, fn, fn, nullptr, faint_reach, 8, true) : 0;
  m.crossings = crossings_of(ink_mask, n, n);
  return decide(m);
}

std::string box_preview(std::span<const std::uint8_t> gray, int width, int height, int columns, int rows) {
  if (width < 1 || height < 1 || width > max_crop || height > max_crop || columns < 1 || rows < 1 ||
      columns > width || rows > height || gray.size() != static_cast<size_t>(width) * static_cast<size_t>(height))
    return "";
  const std::vector<double> values(gray.begin(), gray.end());
  const double paper = std::max(percentile(values, 0.9), 1.0);
  std::string out;
  for (int r = 0; r < rows; ++r) {
    const int y0 = r * height / rows, y1 = std::max(y0 + 1, (r + 1) * height / rows);
    for (int c = 0; c < columns; ++c) {
      const int x0 = c * width / columns, x1 = std::max(x0 + 1, (c + 1) * width / columns);
      double sum = 0, darkest = 0;
      for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
          const double v = std::max(0.0, paper - values[static_cast<size_t>(y) * width + x]) / paper;
          sum += v;
          darkest = std::max(darkest, v);
        }
      // Thin strokes must show: the block's mean and its darkest pixel both count.
      const double level = std::max(sum / ((y1 - y0) * (x1 - x0)) * 2, darkest * 0.6);
      out += level < 0.12 ? ' ' : level < 0.3 ? '.' : level < 0.55 ? ':' : '#';
    }
    out += '\n';
  }
  return out;
}

const char* box_mark_name(BoxMark mark) {
  switch (mark) {
    case BoxMark::empty: return "empty";
    case BoxMark::ticked: return "ticked";
    case BoxMark::unsure: return "unsure";
  }
  return "unsure";
}

const char* unsure_reason_name(UnsureReason why) {
  switch (why) {
    case UnsureReason::none: return "";
    case UnsureReason::bad_crop: return "bad crop";
    case UnsureReason::outline_not_found: return "outline not found";
    case UnsureReason::filled: return "filled";
    case UnsureReason::crossed_out: return "crossed out";
    case UnsureReason::light_pencil: return "light pencil";
    case UnsureReason::stray_mark: return "stray mark";
  }
  return "?";
}

}  // namespace kaappi::form
