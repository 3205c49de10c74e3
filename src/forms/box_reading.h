// box_reading.h — optical mark recognition of one checkbox: from the crop
// of a scanned form's box (made by the PDF helper's form reader, the page
// registered by its corner marks and QR code), whether the box is empty,
// ticked, or unsure (and why); and a compact text preview of the crop for the
// person who confirms the proposals (kaappi review).
//
// A crop is the rect [outline.x-2, outline.y-2, outline.w+4, outline.h+4] mm
// of the form sampled at 8 px/mm, grey 0 black .. 255 white, row-major, with
// the page's turn and skew undone (about ±1 mm and ±1° of error remain). Its
// bytes come from a scan, so they are untrusted: any size and any content
// gives a reading, and nothing odd is ever read as a confident tick.
//
// Pure functions of their arguments; safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "pdf/form_scan.h"

namespace kaappi::form {


enum class BoxMark { empty, ticked, unsure };

enum class UnsureReason {
  none,
  bad_crop,           // not a crop of the expected size
  outline_not_found,  // no printed square where the box should be (or the crop is blank, black or noise)
  filled,             // the box is filled in (often a correction)
  crossed_out,        // strokes over strokes: scribbled out, or re-ticked
  light_pencil,       // a faint grey mark, no ink
  stray_mark,         // a dot or short stroke, too small for a tick
};

// What was measured inside the box's outline (the line itself excluded).
struct BoxMeasures {
  bool outline_found = false;
  int outline_x = 0, outline_y = 0, outline_side = 0;  // px in the crop: the line's centre
  double paper = 0, ink = 0;  // grey levels of the paper and of the outline's line
  double dark_fill = 0;       // share of the inside that is ink (darker than half way to the line's ink)
  double light_fill = 0;      // share that is faint grey (pencil) but not ink
  int dark_extent = 0;        // px: the larger side of the box around the ink marks (specks left out)
  int dark_marks = 0;         // separate ink marks (strokes apart by more than 3 px; specks left out)
  int faint_extent = 0;       // px: the larger side of the largest stroke of ink and faint grey together
  double crossings = 0;       // strokes a row or column crosses (90th percentile over the inked ones)
  // The paper outside the outline, in 3x3 means (the scanner's noise): their
  // median darkness and robust spread. Faint grey is darker than that median
  // by 4 spreads and 1.5 % of the line's ink at least.
  double grain_level = 0, grain = 0;
};

struct BoxReading {
  BoxMark mark = BoxMark::unsure;
  // 0..1: how sure the decision is; an unsure reading has 0.
  double confidence = 0;
  UnsureReason reason = UnsureReason::bad_crop;
  BoxMeasures measures;

  // A consent may be proposed as granted only from a tick read with
  // confidence; an unsure box is never one.
  bool proposes_granted() const { return mark == BoxMark::ticked; }
  // The key holder must be asked: always for an unsure box (an unsure ban
  // is always asked about).
  bool needs_question() const { return mark == BoxMark::unsure; }
};

// Reads the box in the crop (width x height grey pixels, row-major) of a
// box whose printed outline is box_mm wide, at k_crop_px_per_mm with
// k_crop_margin_mm around it (pdf/form_scan.h). Never throws: a crop of the wrong size is
// unsure with reason bad_crop.
BoxReading read_box(std::span<const std::uint8_t> gray, int width, int height, double box_mm = 6);

// The crop as `rows` lines of `columns` characters (' ', '.', ':', '#' from
// paper to ink), each line ending in '\n'; "" for a crop of the wrong size.
std::string box_preview(std::span<const std::uint8_t> gray, int width, int height, int columns = 20, int rows = 10);

const char* box_mark_name(BoxMark mark);           // "empty", "ticked", "unsure"
const char* unsure_reason_name(UnsureReason why);  // "", "bad crop", "outline not found", "filled", ...

}  // namespace kaappi::form
