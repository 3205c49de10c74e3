// form_pdf.cpp — see form_pdf.h. Template 1's drawing; what the reader
// relies on (marks, QR code, boxes) comes from the layout, the rest is
// placed here around it.
#include "export/form_pdf.h"

#include <qrencode.h>

#include <memory>

#include "base/error.h"
#include "base/languages.h"
#include "consent/purposes.h"
#include "export/inspection_labels.h"
#include "export/pdf_drawing.h"
#include "export/form_words.h"

namespace kaappi {
namespace {

using namespace pdf_drawing;

double pt(double mm) { return mm * k_points_per_mm; }

struct QrDeleter {
  void operator()(QRcode* q) const { QRcode_free(q); }
};

class FormWriter {
 public:
  FormWriter(Bytes& out, const form::TemplateLayout& layout, const RegisterTexts& texts)
      : m_surface(a4_pdf_surface(out, form::k_printout_creator)), m_cr(cairo_create(m_surface.get())), m_layout(layout), m_texts(texts) {
    if (cairo_status(m_cr.get()) != CAIRO_STATUS_SUCCESS) fail(ErrorKind::internal, "cairo cannot draw the form");
  }

  void form(const FormToPrint& f) {
    const int pages = static_cast<int>(m_layout.pages.size());
    if (static_cast<int>(f.page_codes.size()) != pages) fail(ErrorKind::internal, "a form without a code for every page");
    for (int p = 0; p < pages; ++p) {
      frame(f, p);
      if (p == 0) first_page(f);
      else notice_page(f);
      cairo_show_page(m_cr.get());
    }
  }

  void finish() {
    m_cr.reset();
    cairo_surface_finish(m_surface.get());
    if (cairo_surface_status(m_surface.get()) != CAIRO_STATUS_SUCCESS)
      fail(ErrorKind::internal, "cairo could not write the form");
  }

 private:
  // Text at (x, y) mm, its top there; at most `width` mm wide (wrapped, or
  // ellipsized when `one_line`). Returns its height in mm (only measured,
  // not drawn, unless `draw`).
  double text(const std::string& s, double x, double y, double width, const char* font, bool one_line = false,
              bool draw = true) {
    Layout layout(pango_cairo_create_layout(m_cr.get()));
    Font f(pango_font_description_from_string(font));
    pango_layout_set_font_description(layout.get(), f.get());
    pango_layout_set_width(layout.get(), static_cast<int>(pt(width) * PANGO_SCALE));
    if (one_line) pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    else pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    const std::string c = clean(s);
    pango_layout_set_text(layout.get(), c.c_str(), static_cast<int>(c.size()));
    if (draw) {
      cairo_move_to(m_cr.get(), pt(x), pt(y));
      pango_cairo_show_layout(m_cr.get(), layout.get());
    }
    int w = 0, h = 0;
    pango_layout_get_size(layout.get(), &w, &h);
    return static_cast<double>(h) / PANGO_SCALE / k_points_per_mm;
  }

  void line(double x0, double y0, double x1, double y1, double width_mm) {
    cairo_set_line_width(m_cr.get(), pt(width_mm));
    cairo_move_to(m_cr.get(), pt(x0), pt(y0));
    cairo_line_to(m_cr.get(), pt(x1), pt(y1));
    cairo_stroke(m_cr.get());
  }

  void filled(const form::Rect& r) {
    cairo_rectangle(m_cr.get(), pt(r.x), pt(r.y), pt(r.w), pt(r.h));
    cairo_fill(m_cr.get());
  }

  void qr(const std::string& code) {
    std::unique_ptr<QRcode, QrDeleter> q(QRcode_encodeString(code.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!q) fail(ErrorKind::internal, "libqrencode could not encode a form's code");
    const form::Rect& r = m_layout.qr;
    const double module = r.w / q->width;
    for (int y = 0; y < q->width; ++y)
      for (int x = 0; x < q->width; ++x)
        if (q->data[y * q->width + x] & 1) filled({r.x + x * module, r.y + y * module, module, module});
  }

  // What every page has: the corner marks, the QR code, the footer.
  void frame(const FormToPrint& f, int page) {
    cairo_set_source_rgb(m_cr.get(), 0, 0, 0);
    for (const form::Rect& m : m_layout.marks) filled(m);
    qr(f.page_codes[static_cast<size_t>(page)]);
    const std::string footer = "kaappi · " + form_word(f.language, "form") + " " + std::to_string(m_layout.version) +
                               " · " + f.form_label + " · " + form_word(f.language, "page") + " " +
                               std::to_string(page + 1) + "/" + std::to_string(m_layout.pages.size());
    text(footer, 60, 284, 90, "DejaVu Sans 7", true);
  }

  void first_page(const FormToPrint& f) {
    const std::string& lang = f.language;
    text(form_word(lang, "title"), 22, 12, 135, "DejaVu Sans Bold 16", true);
    const auto& name = m_texts.lines(lang, "register_name");
    if (!name.empty()) text(name.front(), 22, 21, 135, "DejaVu Sans 9", true);

    text(form_word(lang, "customer_number"), 22, 32, 130, "DejaVu Sans 8");
    text(form_word(lang, "name"), 22, 48, 130, "DejaVu Sans 8");
    if (f.customer_number.empty()) {
      line(22, 44, 130, 44, 0.25);
      line(22, 60, 150, 60, 0.25);
    } else {
      text(f.customer_number, 22, 37, 130, "DejaVu Sans Bold 12", true);
      text(f.customer_name, 22, 53, 135, "DejaVu Sans 12", true);
    }

    text(form_word(lang, "consents"), 22, 68, 166, "DejaVu Sans Bold 12");
    text(form_word(lang, "consents_help"), 22, 76, 166, "DejaVu Sans 9");
    bool bans_heading = false;
    for (const form::Box& b : m_layout.pages.front().boxes) {
      const Purpose& p = find_purpose(b.purpose);
      if (p.is_ban && !bans_heading) {
        bans_heading = true;
        text(form_word(lang, "bans"), 22, b.outline.y - 20, 166, "DejaVu Sans Bold 12");
        text(form_word(lang, "bans_help"), 22, b.outline.y - 12, 166, "DejaVu Sans 9");
      }
      const form::Rect& r = b.outline;
      cairo_set_line_width(m_cr.get(), pt(m_layout.box_line));
      cairo_rectangle(m_cr.get(), pt(r.x), pt(r.y), pt(r.w), pt(r.h));
      cairo_stroke(m_cr.get());
      const char* label = in_language(lang, p.label_fi, p.label_sv, p.label_en);
      text(label, r.x + r.w + 5, r.y + 0.6, 150, "DejaVu Sans 10");  // a long label wraps under itself
    }
    text(form_word(lang, "correction"), 22, 220, 166, "DejaVu Sans 8");
    text(form_word(lang, "notice_see"), 22, 226, 166, "DejaVu Sans 8");

    line(22, 248, 80, 248, 0.25);
    line(90, 248, 188, 248, 0.25);
    text(form_word(lang, "date"), 22, 249, 58, "DejaVu Sans 8");
    text(form_word(lang, "signature"), 90, 249, 98, "DejaVu Sans 8");
    line(90, 266, 188, 266, 0.25);
    text(form_word(lang, "name_in_print"), 90, 267, 98, "DejaVu Sans 8");
  }

  void notice_page(const FormToPrint& f) {
    const std::string& lang = f.language;
    text(form_word(lang, "notice_title"), 22, 12, 135, "DejaVu Sans Bold 16", true);
    text(form_word(lang, "keep"), 22, 21, 135, "DejaVu Sans 9", true);
    // Below the QR code's quiet zone, above the footer; what does not fit is
    // left out whole (the register description has it all).
    double y = m_layout.qr.y + m_layout.qr.h + m_layout.qr_quiet + 4;
    const double bottom = m_layout.marks[2].y - 4;
    const auto fits = [&](const std::string& s, const char* font) {
      return y + text(s, 22, y, 166, font, false, false) <= bottom;
    };
    for (const char* key : {"register_name", "controller", "contact", "purposes", "rights", "authority"}) {
      const auto& lines = m_texts.lines(lang, key);
      if (lines.empty() || !fits(inspection_label(lang, key), "DejaVu Sans Bold 9")) continue;
      y += text(inspection_label(lang, key), 22, y, 166, "DejaVu Sans Bold 9") + 0.8;
      for (const std::string& l : lines)
        if (fits(l, "DejaVu Sans 8")) y += text(l, 22, y, 166, "DejaVu Sans 8") + 0.6;
      y += 2.5;
    }
  }

  Surface m_surface;
  Cairo m_cr;
  const form::TemplateLayout& m_layout;
  const RegisterTexts& m_texts;
};

}  // namespace

Bytes forms_pdf(const form::TemplateLayout& layout, const std::vector<FormToPrint>& forms, const RegisterTexts& texts) {
  Bytes out;
  {
    FormWriter writer(out, layout, texts);
    for (const FormToPrint& f : forms) writer.form(f);
    writer.finish();
  }
  return out;
}

}  // namespace kaappi
