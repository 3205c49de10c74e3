// pdf_drawing.cpp — see pdf_drawing.h.
#include "export/pdf_drawing.h"

#include "base/utf8.h"

namespace kaappi::pdf_drawing {
namespace {

cairo_status_t append_to(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<Bytes*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

void free_font(PangoFontDescription* f) { pango_font_description_free(f); }
void free_layout(PangoLayout* l) { g_object_unref(l); }

Surface a4_pdf_surface(Bytes& out, const char* creator) {
  Surface s(cairo_pdf_surface_create_for_stream(append_to, &out, k_a4_width, k_a4_height));
  cairo_pdf_surface_set_metadata(s.get(), CAIRO_PDF_METADATA_CREATOR, creator);
  return s;
}

std::string clean(const std::string& text) {
  std::string out;
  size_t at = 0;
  char32_t c = 0;
  while (at < text.size()) {
    const size_t before = at;
    if (!decode_utf8(text, at, c)) {
      out += "\xEF\xBF\xBD";
      if (at == before) ++at;
      continue;
    }
    if (c == '\n') out += '\n';
    else if (c == '\t') out += ' ';
    else if (is_control_character(c)) out += "\xEF\xBF\xBD";
    else append_utf8(c, out);
  }
  return out;
}

}  // namespace kaappi::pdf_drawing
