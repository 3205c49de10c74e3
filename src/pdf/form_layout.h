// form_layout.h — where everything is on kaappi's printed forms: the one
// description of each form template version, which the printer draws
// (export/form_pdf) and the PDF helper's form reader reads (pdf/helper/).
// A version, once printed, never changes: a new layout is a new version,
// appended, and every version stays readable (docs/FORMS.md).
//
// Units are millimetres from the page's top-left corner, y downwards, on an
// A4 page as printed (before any scanner turned or scaled it). Plain C++:
// the helper builds this file into itself. Pure data; safe from any thread.
#pragma once

#include <cstddef>
#include <vector>

namespace kaappi::form {

// The Creator kaappi form print writes into its PDF's information
// dictionary: a scan of the printout does not carry it, so a document that
// does is the printout itself, signed by no one (forms/form_reading.h).
inline constexpr const char* k_printout_creator = "kaappi form print";

struct Rect {
  double x = 0, y = 0, w = 0, h = 0;  // mm: left, top, width, height
  double cx() const { return x + w / 2; }
  double cy() const { return y + h / 2; }
};

// A checkbox: its printed outline (the line's centre) and the consent
// purpose or ban it asks about (an id of consent/purposes.h).
struct Box {
  const char* purpose;
  Rect outline;
};

struct PageLayout {
  std::vector<Box> boxes;  // in the order they are printed, top to bottom
};

struct TemplateLayout {
  int version = 0;
  double page_width = 210, page_height = 297;
  // The four corner marks, solid black squares: top-left, top-right,
  // bottom-left, bottom-right.
  Rect marks[4];
  // The QR code's modules (its quiet zone is left white around it).
  Rect qr;
  double qr_quiet = 0;  // mm of white kept around the QR code on every side
  double box_line = 0;  // the width of a box's printed outline, mm
  std::vector<PageLayout> pages;  // page 1 first; every page has the marks and a QR code
};

// The template of `version`, or null when there is none.
const TemplateLayout* form_template(int version);
// The version new forms are printed with.
int current_form_template();

}  // namespace kaappi::form
