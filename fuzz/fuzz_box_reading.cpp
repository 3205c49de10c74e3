// fuzz_box_reading.cpp — a box's crop from a scan's summary (forms/
// box_reading): any size and any bytes give a reading, never a crash; an
// unsure reading has confidence 0 and a decided one 0.5..1; the preview is
// "" or its lines. The input: width and height (one byte each, doubled),
// then the grey bytes (an 80x80 crop when the input is that long).
#include <cstdlib>
#include <span>

#include "forms/box_reading.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  int width = data[0] * 2, height = data[1] * 2;
  const std::span<const std::uint8_t> gray(data + 2, size - 2);
  if (gray.size() == 80 * 80) width = height = 80;
  using kaappi::form::BoxMark;
  const kaappi::form::BoxReading r = kaappi::form::read_box(gray, width, height);
  if (r.mark == BoxMark::unsure && r.confidence != 0) std::abort();
  if (r.mark != BoxMark::unsure && !(r.confidence >= 0.5 && r.confidence <= 1)) std::abort();
  const std::string preview = kaappi::form::box_preview(gray, width, height);
  if (!preview.empty() && preview.back() != '\n') std::abort();
  return 0;
}
