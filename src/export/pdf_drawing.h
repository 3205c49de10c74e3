// pdf_drawing.h — what every PDF kaappi draws with cairo and pango shares:
// owning handles of cairo's and pango's objects, a PDF surface writing into
// memory, and the one cleaning of text before pango lays it out (valid UTF-8,
// no control characters but line breaks). Used by the inspection report
// (export/inspection_report_pdf) and the printed forms (export/form_pdf).
#pragma once

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>

#include "base/bytes.h"

namespace kaappi::pdf_drawing {

// A4 in points.
inline constexpr double k_a4_width = 595.28, k_a4_height = 841.89;
inline constexpr double k_points_per_mm = 72.0 / 25.4;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Surface = std::unique_ptr<cairo_surface_t, Deleter<cairo_surface_t, cairo_surface_destroy>>;
using Cairo = std::unique_ptr<cairo_t, Deleter<cairo_t, cairo_destroy>>;
void free_font(PangoFontDescription* f);
using Font = std::unique_ptr<PangoFontDescription, Deleter<PangoFontDescription, free_font>>;
void free_layout(PangoLayout* l);
using Layout = std::unique_ptr<PangoLayout, Deleter<PangoLayout, free_layout>>;

// An A4 PDF surface whose bytes are appended to `out` (which must outlive
// it), with `creator` as the PDF's Creator.
Surface a4_pdf_surface(Bytes& out, const char* creator);

// Text pango may draw: valid UTF-8 without control characters (line breaks
// kept, tabs as spaces, anything else as U+FFFD).
std::string clean(const std::string& text);

}  // namespace kaappi::pdf_drawing
