// test_box_reading.cpp — forms/box_reading: every mark kind drawn by
// tests/support/pen_marks.h into box crops (offsets, turns, coarse scans,
// blur, noise: tests/support/box_crops.h), read over many seeds against the
// issue's rules; garbage crops never read as a confident tick; the preview.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "forms/box_reading.h"
#include "support/box_crops.h"

using namespace kaappi::form;
using kaappi::testing::pen::Crop;
using kaappi::testing::pen::CropDamage;
using kaappi::testing::pen::make_crop;
using kaappi::testing::pen::Mark;

namespace {

struct Tally {
  int total = 0, right = 0, unsure = 0, wrong = 0;  // wrong: decided, and the opposite of what was meant
};

Tally read_many(Mark mark, int seeds, const CropDamage& damage = {}, bool one_bit = false) {
  Tally t;
  const bool meant_ticked = std::string(kaappi::testing::pen::meant(mark)) == "ticked";
  for (int s = 0; s < seeds; ++s) {
    Crop c = make_crop(mark, 7000 + static_cast<unsigned>(s) * 31 + static_cast<unsigned>(mark), damage);
    if (one_bit)
      for (auto& v : c.gray) v = v < 128 ? 0 : 255;
    const BoxReading r = read_box(c.gray, c.width, c.height);
    ++t.total;
    if (r.mark == BoxMark::unsure) {
      ++t.unsure;
      CHECK(r.confidence == 0);
      CHECK_FALSE(r.proposes_granted());
      CHECK(r.needs_question());
    } else if ((r.mark == BoxMark::ticked) == meant_ticked) {
      ++t.right;
      CHECK(r.confidence >= 0.5);
    } else {
      ++t.wrong;
    }
  }
  return t;
}

// A crop drawn at a copier's resolution (12 px/mm) and taken through
// `copies` photocopies (pen_marks.h's copier contrast around middle, a
// slight blur and grain each), then scanned: resampled to the crop's 8 px/mm
// at an offset, the scanner's levels, blur and noise, all fixed.
Crop degraded_crop(Mark mark, unsigned seed, int copies, double middle, double blur_px, double noise) {
  namespace pen = kaappi::testing::pen;
  std::mt19937 rng(seed);
  constexpr double side = 6, line = 0.5, margin = 2, fine = 12, ppm = 8;
  std::vector<pen::Stroke> strokes = pen::outline_strokes(0, 0, side, line);
  const std::vector<pen::Stroke> marks = pen::mark_strokes(mark, 0, 0, side, rng);
  strokes.insert(strokes.end(), marks.begin(), marks.end());
  pen::rotate_strokes(strokes, {side / 2, side / 2}, pen::uniform(rng, -1, 1));
  const int big = static_cast<int>((side + 2 * margin + 2) * fine);  // 1 mm more on every side
  pen::Gray master(big, big);
  pen::draw(master, strokes, {fine, fine, -margin - 1, -margin - 1});
  for (int k = 0; k < copies; ++k) {
    pen::contrast(master, middle, 10);
    pen::blur(master, 0.8);
    pen::add_noise(master, 3, rng);
  }
  const double ox = pen::uniform(rng, -1, 1), oy = pen::uniform(rng, -1, 1);  // mm
  constexpr int n = static_cast<int>((side + 2 * margin) * ppm);
  pen::Gray img = pen::resample(master, n, n, [&](double x, double y) {
    return std::pair{(x / ppm + 1 + ox) * fine, (y / ppm + 1 + oy) * fine};
  });
  pen::levels(img, 242, 22);
  pen::blur(img, blur_px);
  pen::add_noise(img, noise, rng);
  return {n, n, img.bytes()};
}

}  // namespace

TEST_CASE("box reading: ticks, X marks and empty boxes are read right, seldom unsure, never wrong", "[forms]") {
  for (Mark mark : {Mark::tick, Mark::x, Mark::empty}) {
    INFO("mark " << kaappi::testing::pen::mark_name(mark));
    const Tally t = read_many(mark, 200);
    CHECK(t.wrong == 0);
    CHECK(t.right * 1000 >= t.total * 995);
    CHECK(t.unsure * 100 <= t.total * 2);
  }
}

TEST_CASE("box reading: 1-bit (fax) crops of ticks, X marks and empty boxes keep the rules", "[forms]") {
  for (Mark mark : {Mark::tick, Mark::x, Mark::empty}) {
    INFO("mark " << kaappi::testing::pen::mark_name(mark));
    const Tally t = read_many(mark, 200, {}, true);
    CHECK(t.wrong == 0);
    CHECK(t.right * 1000 >= t.total * 995);
    CHECK(t.unsure * 100 <= t.total * 2);
  }
}

TEST_CASE("box reading: filled, crossed-out, light pencil and stray dots are unsure or as meant, never the opposite",
          "[forms]") {
  for (Mark mark : {Mark::filled, Mark::crossed, Mark::light, Mark::dot}) {
    INFO("mark " << kaappi::testing::pen::mark_name(mark));
    const Tally t = read_many(mark, 200);
    CHECK(t.wrong == 0);
  }
  // in 1-bit crops too (where a light pencil tick may vanish: not counted)
  for (Mark mark : {Mark::filled, Mark::crossed, Mark::dot}) {
    INFO("1-bit mark " << kaappi::testing::pen::mark_name(mark));
    CHECK(read_many(mark, 200, {}, true).wrong == 0);
  }
  // a filled box and a scribbled-out tick are flagged, not read
  CHECK(read_many(Mark::filled, 100).unsure == 100);
  CHECK(read_many(Mark::crossed, 100).unsure == 100);
  // a light pencil tick is asked about (or read as the tick it is)
  const Tally light = read_many(Mark::light, 100);
  CHECK(light.unsure + light.right == 100);
}

TEST_CASE("box reading: an empty box under heavy blur and noise is read empty, a light pencil tick there is not",
          "[forms]") {
  // The scanner's grain is measured on the paper outside the outline: noise
  // of σ 12 over a blur of 2 px makes no pencil mark of an empty box.
  for (const auto& [blur_px, noise] : {std::pair{2.0, 12.0}, std::pair{1.75, 10.0}}) {
    INFO("blur " << blur_px << " noise " << noise);
    int empty = 0, light_empty = 0, ticks = 0;
    for (unsigned s = 0; s < 60; ++s) {
      const Crop e = degraded_crop(Mark::empty, 400 + s, 0, 150, blur_px, noise);
      const BoxReading r = read_box(e.gray, e.width, e.height);
      if (r.mark == BoxMark::empty && r.confidence >= 0.9) ++empty;
      const Crop l = degraded_crop(Mark::light, 400 + s, 0, 150, blur_px, noise);
      light_empty += read_box(l.gray, l.width, l.height).mark == BoxMark::empty;
      const Crop t = degraded_crop(Mark::tick, 400 + s, 0, 150, blur_px, noise);
      ticks += read_box(t.gray, t.width, t.height).mark == BoxMark::ticked;
    }
    CHECK(empty == 60);
    CHECK(light_empty == 0);
    CHECK(ticks == 60);
  }
}

TEST_CASE("box reading: a light pencil tick faded by photocopies is unsure, never a confident empty", "[forms]") {
  // Two copies whose contrast leaves a 150..200 grey pencil line only a
  // few grey levels darker than the paper: still a stroke, far above the
  // paper's grain. An empty box through the same copies stays empty.
  int light_unsure = 0, empty = 0;
  for (unsigned s = 0; s < 60; ++s) {
    const Crop l = degraded_crop(Mark::light, 500 + s, 2, 150, 0.5, 2);
    const BoxReading r = read_box(l.gray, l.width, l.height);
    CHECK(r.mark != BoxMark::empty);
    if (r.mark == BoxMark::unsure && r.reason == UnsureReason::light_pencil) ++light_unsure;
    const Crop e = degraded_crop(Mark::empty, 500 + s, 2, 150, 0.5, 2);
    empty += read_box(e.gray, e.width, e.height).mark == BoxMark::empty;
  }
  CHECK(light_unsure >= 50);
  CHECK(empty == 60);
}

TEST_CASE("box reading: the reasons name what was seen", "[forms]") {
  auto reason_of = [](Mark mark, unsigned seed) {
    const Crop c = make_crop(mark, seed);
    return read_box(c.gray, c.width, c.height).reason;
  };
  CHECK(reason_of(Mark::filled, 3) == UnsureReason::filled);
  CHECK(reason_of(Mark::light, 3) == UnsureReason::light_pencil);
  const UnsureReason crossed = reason_of(Mark::crossed, 3);
  CHECK((crossed == UnsureReason::crossed_out || crossed == UnsureReason::filled));
  CHECK(reason_of(Mark::tick, 3) == UnsureReason::none);
  CHECK(std::string(unsure_reason_name(UnsureReason::light_pencil)) == "light pencil");
  CHECK(std::string(box_mark_name(BoxMark::ticked)) == "ticked");
}

TEST_CASE("box reading: garbage crops are refused or unsure, never a tick", "[forms]") {
  auto reading = [](const std::vector<uint8_t>& px, int w, int h) { return read_box(px, w, h); };
  SECTION("wrong sizes") {
    const std::vector<uint8_t> px(80 * 80, 255);
    CHECK(reading(px, 80, 79).reason == UnsureReason::bad_crop);
    CHECK(reading(px, 0, 0).reason == UnsureReason::bad_crop);
    CHECK(reading(px, -80, -80).reason == UnsureReason::bad_crop);
    CHECK(reading({}, 80, 80).reason == UnsureReason::bad_crop);
    const std::vector<uint8_t> tiny(20 * 20, 255);
    CHECK(reading(tiny, 20, 20).reason == UnsureReason::bad_crop);
    const std::vector<uint8_t> huge(1000 * 1000, 255);
    CHECK(reading(huge, 1000, 1000).reason == UnsureReason::bad_crop);
    CHECK(read_box(px, 80, 80, 60).reason == UnsureReason::bad_crop);  // a box larger than its crop
  }
  SECTION("all white, all black, all grey") {
    for (int v : {255, 0, 128}) {
      const std::vector<uint8_t> px(80 * 80, static_cast<uint8_t>(v));
      const BoxReading r = reading(px, 80, 80);
      CHECK(r.mark == BoxMark::unsure);
      CHECK(r.reason == UnsureReason::outline_not_found);
    }
  }
  SECTION("noise, stripes, a black square") {
    std::mt19937 rng(5);
    for (int k = 0; k < 50; ++k) {
      std::vector<uint8_t> px(80 * 80);
      for (auto& v : px) v = static_cast<uint8_t>(rng());
      CHECK(reading(px, 80, 80).mark == BoxMark::unsure);
    }
    std::vector<uint8_t> stripes(80 * 80);
    for (size_t i = 0; i < stripes.size(); ++i) stripes[i] = (i / 80) % 6 < 3 ? 0 : 255;
    CHECK(reading(stripes, 80, 80).mark != BoxMark::ticked);
    std::vector<uint8_t> square(80 * 80, 255);
    for (int y = 16; y < 64; ++y)
      for (int x = 16; x < 64; ++x) square[static_cast<size_t>(y) * 80 + x] = 0;
    CHECK(reading(square, 80, 80).mark == BoxMark::unsure);
  }
  SECTION("a box without its outline") {
    kaappi::testing::pen::Gray img(80, 80);
    std::mt19937 rng(9);
    kaappi::testing::pen::draw(img, kaappi::testing::pen::mark_strokes(Mark::tick, 0, 0, 6, rng), {8, 8, -2, -2});
    const std::vector<uint8_t> px = img.bytes();
    CHECK(reading(px, 80, 80).mark == BoxMark::unsure);
  }
}

TEST_CASE("box preview: a crop as 20 x 10 characters", "[forms]") {
  const Crop tick = make_crop(Mark::tick, 11, {0, 0, false, 0, 0});
  const std::string p = box_preview(tick.gray, tick.width, tick.height);
  REQUIRE(p.size() == 10 * 21);
  for (size_t row = 0; row < 10; ++row) CHECK(p[row * 21 + 20] == '\n');
  CHECK(p.find_first_not_of(" .:#\n") == std::string::npos);
  CHECK(p.find('#') != std::string::npos);
  const Crop empty = make_crop(Mark::empty, 11, {0, 0, false, 0, 0});
  const std::string e = box_preview(empty.gray, empty.width, empty.height);
  // the middle of an empty box is blank
  CHECK(e.substr(4 * 21 + 7, 6) == "      ");
  CHECK(p.substr(3 * 21 + 6, 8) != e.substr(3 * 21 + 6, 8));
  CHECK(box_preview(tick.gray, tick.width, tick.height - 1).empty());
  CHECK(box_preview(tick.gray, tick.width, tick.height, 0, 10).empty());
}
