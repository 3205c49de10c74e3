// pen_marks.h — marks as people make them in a printed form's checkboxes
// (tick, X, filled, light pencil, crossed out, stray dot, or nothing), drawn
// into a grey image, and the damage printing and scanning do to an image
// (resampling under an affine map, blur, noise, a threshold). The one copy of
// this drawing code: tests/tools/scan_form draws whole pages with it, the
// unit tests of forms/box_reading draw single box crops with it.
//
// Units: marks are made in millimetres (the form's coordinates, y down) and
// drawn through a Placement (pixels per mm and where pixel 0,0 is). Grey
// values are floats, 0 black .. 255 white. Header-only plain C++; nothing
// global, every function works only on its arguments (thread-safe as long as
// each thread draws into its own image with its own random generator).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kaappi::testing::pen {

// ---- the marks ----------------------------------------------------------

enum class Mark { empty, tick, x, filled, light, crossed, dot };
inline constexpr Mark all_marks[] = {Mark::empty, Mark::tick,    Mark::x,  Mark::filled,
                                     Mark::light, Mark::crossed, Mark::dot};

inline const char* mark_name(Mark m) {
  switch (m) {
    case Mark::empty: return "empty";
    case Mark::tick: return "tick";
    case Mark::x: return "x";
    case Mark::filled: return "filled";
    case Mark::light: return "light";
    case Mark::crossed: return "crossed";
    case Mark::dot: return "dot";
  }
  return "?";
}

inline bool parse_mark(std::string_view name, Mark& out) {
  for (Mark m : all_marks)
    if (name == mark_name(m)) {
      out = m;
      return true;
    }
  return false;
}

// What the person meant by the mark: "ticked" or "empty". A filled box is
// the common way to correct a tick, a crossed-out tick takes it back, a stray
// dot means nothing, a light pencil tick is still a tick.
inline const char* meant(Mark m) {
  switch (m) {
    case Mark::tick:
    case Mark::x:
    case Mark::light: return "ticked";
    default: return "empty";
  }
}

struct Point {
  double x = 0, y = 0;
};

// One pen stroke: a polyline in mm, its width in mm and its ink's grey level.
struct Stroke {
  std::vector<Point> points;
  double width = 0.4;
  double ink = 30;
};

inline double uniform(std::mt19937& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

// A line from a to b as a slightly bent polyline (a hand's stroke).
inline void add_bent_line(Stroke& s, Point a, Point b, double bend, bool skip_first = false) {
  constexpr int steps = 8;
  const double dx = b.x - a.x, dy = b.y - a.y, len = std::hypot(dx, dy);
  const double nx = len > 0 ? -dy / len : 0, ny = len > 0 ? dx / len : 0;
  for (int i = skip_first ? 1 : 0; i <= steps; ++i) {
    const double t = static_cast<double>(i) / steps;
    const double off = bend * 4 * t * (1 - t);
    s.points.push_back({a.x + dx * t + nx * off, a.y + dy * t + ny * off});
  }
}

inline Point rotated(Point p, Point centre, double degrees) {
  const double r = degrees * std::numbers::pi / 180, c = std::cos(r), s = std::sin(r);
  const double x = p.x - centre.x, y = p.y - centre.y;
  return {centre.x + c * x - s * y, centre.y + s * x + c * y};
}

inline void rotate_strokes(std::vector<Stroke>& strokes, Point centre, double degrees) {
  for (Stroke& s : strokes)
    for (Point& p : s.points) p = rotated(p, centre, degrees);
}

// A tick (check mark) of height about `size` centred near c.
inline Stroke tick_stroke(std::mt19937& rng, Point c, double size, double width, double ink) {
  Stroke s;
  s.width = width;
  s.ink = ink;
  const double angle = uniform(rng, -15, 15);
  const Point start{c.x - 0.45 * size, c.y + uniform(rng, -0.05, 0.1) * size};
  const Point bottom{c.x - 0.1 * size, c.y + 0.45 * size};
  const Point end{c.x + 0.5 * size + uniform(rng, -0.1, 0.1), c.y - 0.55 * size};
  add_bent_line(s, start, bottom, uniform(rng, -0.15, 0.15));
  add_bent_line(s, bottom, end, uniform(rng, -0.4, 0.4), true);
  for (Point& p : s.points) p = rotated(p, c, angle);
  return s;
}

// A zigzag scribble over the rect [x0, x1] x [y0, y1], `passes` strokes
// back and forth, tilted by `angle` degrees about the rect's centre.
inline Stroke scribble(std::mt19937& rng, double x0, double y0, double x1, double y1, int passes, double width,
                       double ink, double angle) {
  Stroke s;
  s.width = width;
  s.ink = ink;
  const Point c{(x0 + x1) / 2, (y0 + y1) / 2};
  for (int i = 0; i <= passes; ++i) {
    const double y = y0 + (y1 - y0) * i / passes + uniform(rng, -0.15, 0.15);
    const double x = (i % 2 == 0 ? x0 : x1) + uniform(rng, -0.3, 0.3);
    s.points.push_back(rotated({x, y}, c, angle));
  }
  return s;
}

// The strokes of mark `m` in the box whose printed outline is the square at
// (bx, by) of side `side` mm. Pen width, position, size and angle come from
// rng; strokes may overrun the outline a little, as real ones do.
inline std::vector<Stroke> mark_strokes(Mark m, double bx, double by, double side, std::mt19937& rng) {
  std::vector<Stroke> out;
  const Point c{bx + side / 2 + uniform(rng, -0.6, 0.6), by + side / 2 + uniform(rng, -0.6, 0.6)};
  const double pen = uniform(rng, 0.3, 0.6);  // ballpoint to felt tip
  const double ink = uniform(rng, 5, 60);
  switch (m) {
    case Mark::empty: break;
    case Mark::tick: out.push_back(tick_stroke(rng, c, uniform(rng, 3.4, 5.6), pen, ink)); break;
    case Mark::x: {
      const double half = uniform(rng, 1.6, 2.7), angle = uniform(rng, -10, 10);
      for (int k = 0; k < 2; ++k) {
        Stroke s;
        s.width = pen;
        s.ink = ink;
        const double sx = k == 0 ? 1 : -1;
        add_bent_line(s, {c.x - sx * half + uniform(rng, -0.3, 0.3), c.y - half + uniform(rng, -0.3, 0.3)},
                      {c.x + sx * half + uniform(rng, -0.3, 0.3), c.y + half + uniform(rng, -0.3, 0.3)},
                      uniform(rng, -0.25, 0.25));
        for (Point& p : s.points) p = rotated(p, c, angle);
        out.push_back(s);
      }
      break;
    }
    case Mark::filled: {
      // Scribbled over until the box is dark: dense strokes, twice across.
      const double w = uniform(rng, 0.5, 0.9);
      const double o = uniform(rng, 0.0, 0.5);
      const int passes = static_cast<int>(std::ceil((side + 2 * o) / (w * 0.7)));
      out.push_back(scribble(rng, bx - o, by - o, bx + side + o, by + side + o, passes, w, ink, uniform(rng, -8, 8)));
      out.push_back(
          scribble(rng, bx - o, by - o, bx + side + o, by + side + o, passes, w, ink, 90 + uniform(rng, -8, 8)));
      break;
    }
    case Mark::light:  // a light pencil tick: thin and grey
      out.push_back(tick_stroke(rng, c, uniform(rng, 3.4, 5.6), uniform(rng, 0.25, 0.45), uniform(rng, 150, 200)));
      break;
    case Mark::crossed: {  // a tick, then scribbled out (zigzag over it)
      out.push_back(tick_stroke(rng, c, uniform(rng, 3.4, 5.4), pen, ink));
      const double half = uniform(rng, 2.0, 2.8);
      const int passes = static_cast<int>(uniform(rng, 5, 10));
      out.push_back(scribble(rng, c.x - half, c.y - half, c.x + half, c.y + half, passes, pen, ink,
                             uniform(rng, -30, 30)));
      break;
    }
    case Mark::dot: {  // a stray dot or a short stroke, anywhere in the box
      Stroke s;
      s.ink = ink;
      const Point p{bx + uniform(rng, 0.8, side - 0.8), by + uniform(rng, 0.8, side - 0.8)};
      if (rng() % 2 == 0) {
        s.width = uniform(rng, 0.4, 1.0);
        s.points = {p, {p.x + 0.01, p.y}};
      } else {
        s.width = pen;
        const double len = uniform(rng, 0.4, 1.2), a = uniform(rng, 0, 2 * std::numbers::pi);
        s.points = {p, {p.x + len * std::cos(a), p.y + len * std::sin(a)}};
      }
      out.push_back(s);
      break;
    }
  }
  return out;
}

// The printed outline of a box: four black lines of width `line` mm.
inline std::vector<Stroke> outline_strokes(double bx, double by, double side, double line) {
  Stroke s;
  s.width = line;
  s.ink = 0;
  s.points = {{bx, by}, {bx + side, by}, {bx + side, by + side}, {bx, by + side}, {bx, by}};
  return {s};
}

// ---- images -------------------------------------------------------------

struct Gray {
  int width = 0, height = 0;
  std::vector<float> px;  // row-major, 0 black .. 255 white
  Gray() = default;
  Gray(int w, int h, float fill = 255) : width(w), height(h), px(static_cast<size_t>(w) * h, fill) {}
  float& at(int x, int y) { return px[static_cast<size_t>(y) * width + x]; }
  float at(int x, int y) const { return px[static_cast<size_t>(y) * width + x]; }
  // Bilinear sample at (x, y) in pixel centres; paper outside.
  float sample(double x, double y, float outside = 255) const {
    const double fx = x - 0.5, fy = y - 0.5;
    const int x0 = static_cast<int>(std::floor(fx)), y0 = static_cast<int>(std::floor(fy));
    const double tx = fx - x0, ty = fy - y0;
    auto get = [&](int xx, int yy) {
      return (xx < 0 || yy < 0 || xx >= width || yy >= height) ? outside : at(xx, yy);
    };
    const double top = get(x0, y0) * (1 - tx) + get(x0 + 1, y0) * tx;
    const double bottom = get(x0, y0 + 1) * (1 - tx) + get(x0 + 1, y0 + 1) * tx;
    return static_cast<float>(top * (1 - ty) + bottom * ty);
  }
  std::vector<uint8_t> bytes() const {
    std::vector<uint8_t> out(px.size());
    for (size_t i = 0; i < px.size(); ++i) out[i] = static_cast<uint8_t>(std::clamp(std::lround(px[i]), 0L, 255L));
    return out;
  }
};

// Where mm land in an image: pixel = (mm - origin) * px_per_mm, separately
// in x and y (a fax's pixels are not square).
struct Placement {
  double px_per_mm_x = 8, px_per_mm_y = 8;
  double origin_x = 0, origin_y = 0;  // mm at pixel 0,0's corner
};

// Draws strokes as a pen does: each pixel darkened towards the ink by how
// much of it the stroke covers (never lightened; overlaps do not add up).
inline void draw(Gray& img, const std::vector<Stroke>& strokes, const Placement& at) {
  for (const Stroke& s : strokes) {
    if (s.points.empty()) continue;
    const double r = s.width / 2;
    for (size_t i = 0; i + 1 < std::max<size_t>(s.points.size(), 2); ++i) {
      const Point a = s.points[i], b = s.points[std::min(i + 1, s.points.size() - 1)];
      const double x0 = (std::min(a.x, b.x) - r - at.origin_x) * at.px_per_mm_x - 2;
      const double x1 = (std::max(a.x, b.x) + r - at.origin_x) * at.px_per_mm_x + 2;
      const double y0 = (std::min(a.y, b.y) - r - at.origin_y) * at.px_per_mm_y - 2;
      const double y1 = (std::max(a.y, b.y) + r - at.origin_y) * at.px_per_mm_y + 2;
      const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
      // coverage ramps over one pixel at the stroke's edge
      const double ramp = 1 / std::min(at.px_per_mm_x, at.px_per_mm_y);
      for (int y = std::max(0, static_cast<int>(y0)); y < std::min(img.height, static_cast<int>(y1) + 1); ++y)
        for (int x = std::max(0, static_cast<int>(x0)); x < std::min(img.width, static_cast<int>(x1) + 1); ++x) {
          const double mx = at.origin_x + (x + 0.5) / at.px_per_mm_x;
          const double my = at.origin_y + (y + 0.5) / at.px_per_mm_y;
          double t = len2 > 0 ? ((mx - a.x) * dx + (my - a.y) * dy) / len2 : 0;
          t = std::clamp(t, 0.0, 1.0);
          const double d = std::hypot(mx - (a.x + t * dx), my - (a.y + t * dy));
          const double cover = std::clamp((r - d) / ramp + 0.5, 0.0, 1.0);
          if (cover <= 0) continue;
          const float v = static_cast<float>(img.at(x, y) * (1 - cover) + s.ink * cover);
          if (v < img.at(x, y)) img.at(x, y) = v;
        }
    }
  }
}

// Gaussian blur with standard deviation sigma pixels (separable).
inline void blur(Gray& img, double sigma) {
  if (sigma <= 0.05) return;
  const int r = static_cast<int>(std::ceil(sigma * 3));
  std::vector<float> k(static_cast<size_t>(2 * r + 1));
  float sum = 0;
  for (int i = -r; i <= r; ++i) sum += k[static_cast<size_t>(i + r)] = static_cast<float>(std::exp(-i * i / (2 * sigma * sigma)));
  for (float& v : k) v /= sum;
  std::vector<float> tmp(img.px.size());
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      float acc = 0;
      for (int i = -r; i <= r; ++i) acc += k[static_cast<size_t>(i + r)] * img.at(std::clamp(x + i, 0, img.width - 1), y);
      tmp[static_cast<size_t>(y) * img.width + x] = acc;
    }
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      float acc = 0;
      for (int i = -r; i <= r; ++i)
        acc += k[static_cast<size_t>(i + r)] * tmp[static_cast<size_t>(std::clamp(y + i, 0, img.height - 1)) * img.width + x];
      img.at(x, y) = acc;
    }
}

// Gaussian noise of standard deviation sigma grey levels.
inline void add_noise(Gray& img, double sigma, std::mt19937& rng) {
  if (sigma <= 0) return;
  std::normal_distribution<float> n(0, static_cast<float>(sigma));
  for (float& v : img.px) v = std::clamp(v + n(rng), 0.0f, 255.0f);
}

// Paper and toner as a scanner sees them: white to `paper`, black to `toner`.
inline void levels(Gray& img, double paper, double toner) {
  for (float& v : img.px) v = static_cast<float>(toner + v * (paper - toner) / 255);
}

// A copier's contrast: a steep curve around `middle` (light greys go white,
// dark ones black).
inline void contrast(Gray& img, double middle, double steepness) {
  for (float& v : img.px) v = static_cast<float>(255 / (1 + std::exp(-(v - middle) * steepness / 255)));
}

// 1-bit: black below `threshold`, white otherwise.
inline void threshold(Gray& img, double level) {
  for (float& v : img.px) v = v < level ? 0.0f : 255.0f;
}

// A new w x h image whose pixel (x, y) samples `src` at map(x + 0.5, y + 0.5)
// (a pixel centre of the new image mapped into the old one's pixels).
template <class Map>
Gray resample(const Gray& src, int w, int h, Map map, float outside = 255) {
  Gray out(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const auto [sx, sy] = map(x + 0.5, y + 0.5);
      out.at(x, y) = src.sample(sx, sy, outside);
    }
  return out;
}

}  // namespace kaappi::testing::pen
