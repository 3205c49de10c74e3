// box_crops.h — crops of one checkbox as the PDF helper's form reader makes
// them (the box's outline plus 2 mm around it, at 8 px/mm, grey), with a mark
// drawn by pen_marks.h and what registration and scanning leave: an offset up
// to ±1 mm, a turn up to ±1°, printer scaling, a coarser scan resampled back,
// blur, paper and toner levels, noise. For the unit tests of forms/box_reading.
// Header-only; thread-safe as pen_marks.h is.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "support/pen_marks.h"

namespace kaappi::testing::pen {

struct Crop {
  int width = 0, height = 0;
  std::vector<uint8_t> gray;
};

struct CropDamage {
  double max_offset_mm = 1.0;
  double max_turn_deg = 1.0;
  bool rescan = true;  // sometimes pass through a 150-300 dpi grid and back
  double max_blur_px = 1.2;
  double max_noise = 5;
};

// A crop of a 6 mm box (0.5 mm line) holding `mark`, all drawn from `seed`.
inline Crop make_crop(Mark mark, unsigned seed, const CropDamage& damage = {}) {
  std::mt19937 rng(seed);
  constexpr double side = 6, line = 0.5, margin = 2, ppm = 8;
  std::vector<Stroke> strokes = outline_strokes(0, 0, side, line);
  const std::vector<Stroke> marks = mark_strokes(mark, 0, 0, side, rng);
  strokes.insert(strokes.end(), marks.begin(), marks.end());
  const double scale = uniform(rng, 0.985, 1.0);  // what registration leaves of printer scaling
  for (Stroke& s : strokes)
    for (Point& p : s.points) p = {(p.x - side / 2) * scale + side / 2, (p.y - side / 2) * scale + side / 2};
  rotate_strokes(strokes, {side / 2, side / 2}, uniform(rng, -damage.max_turn_deg, damage.max_turn_deg));
  const double ox = uniform(rng, -damage.max_offset_mm, damage.max_offset_mm);
  const double oy = uniform(rng, -damage.max_offset_mm, damage.max_offset_mm);
  const int n = static_cast<int>((side + 2 * margin) * ppm);
  Gray img(n, n);
  draw(img, strokes, {ppm, ppm, -margin - ox, -margin - oy});
  if (damage.rescan && rng() % 2 == 0) {  // a 150..300 dpi scan, read back at 8 px/mm
    const double coarse = uniform(rng, 150, 300) / 25.4 / ppm;
    const int m = static_cast<int>(n * coarse);
    Gray small = resample(img, m, m, [&](double x, double y) { return std::pair{x / coarse, y / coarse}; });
    img = resample(small, n, n, [&](double x, double y) { return std::pair{x * coarse, y * coarse}; });
  }
  blur(img, uniform(rng, 0, damage.max_blur_px));
  levels(img, uniform(rng, 222, 252), uniform(rng, 5, 45));
  add_noise(img, uniform(rng, 0, damage.max_noise), rng);
  return {n, n, img.bytes()};
}

}  // namespace kaappi::testing::pen
