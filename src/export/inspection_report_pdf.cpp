// inspection_report_pdf.cpp — see inspection_report_pdf.h.
#include "export/inspection_report_pdf.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "base/error.h"
#include "export/inspection_labels.h"
#include "export/pdf_drawing.h"

namespace kaappi {
namespace {

using namespace pdf_drawing;

// A4 in points, and its margins.
constexpr double k_page_width = k_a4_width, k_page_height = k_a4_height;
constexpr double k_margin = 56.0, k_footer = 28.0;
constexpr double k_bullet_width = 12.0;

std::string text(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) return std::to_string(j.get<std::int64_t>());
  return "";
}

// Draws paragraphs top to bottom, line by line, starting a new page when one is full.
class Writer {
 public:
  Writer(Bytes& out, std::string lang)
      : m_surface(a4_pdf_surface(out, "kaappi inspect")),
        m_cr(cairo_create(m_surface.get())),
        m_lang(std::move(lang)),
        m_body(pango_font_description_from_string("DejaVu Sans 10")),
        m_small(pango_font_description_from_string("DejaVu Sans 8")),
        m_heading(pango_font_description_from_string("DejaVu Sans Bold 13")),
        m_title(pango_font_description_from_string("DejaVu Sans Bold 17")) {
    if (cairo_status(m_cr.get()) != CAIRO_STATUS_SUCCESS)
      fail(ErrorKind::internal, "cairo cannot draw the inspection report");
    m_y = k_margin;
  }

  std::string label(const std::string& key) const { return inspection_label(m_lang, key); }

  void title(const std::string& s) { paragraph(s, m_title.get(), 0, -1, 8); }
  void heading(const std::string& s) {
    if (m_y + 60 > bottom()) new_page();
    m_y += 10;
    paragraph(s, m_heading.get(), 0, -1, 4);
  }
  void subheading(const std::string& s) { paragraph(s, m_body.get(), 0, static_cast<int>(s.size()), 2); }
  // `bold` bytes from the start are bold (-1: all, 0: none).
  void line(const std::string& s, double indent = 0, int bold = 0, double after = 3) {
    paragraph(s, m_body.get(), indent, bold, after);
  }
  // A list item: "•" then the text, its further lines under the text.
  void bullet(const std::string& s) { paragraph(s, m_body.get(), 10, 0, 3, k_bullet_width); }
  void labelled(const std::string& name, const std::string& value, double indent = 0) {
    const std::string head = clean(name) + ": ";
    line(head + value, indent, static_cast<int>(head.size()));
  }

  void finish() {
    footer();
    cairo_show_page(m_cr.get());
    m_cr.reset();
    cairo_surface_finish(m_surface.get());
    if (cairo_surface_status(m_surface.get()) != CAIRO_STATUS_SUCCESS)
      fail(ErrorKind::internal, "cairo could not write the inspection report");
  }

 private:
  double bottom() const { return k_page_height - k_margin - k_footer; }

  void footer() {
    Layout layout(pango_cairo_create_layout(m_cr.get()));
    pango_layout_set_font_description(layout.get(), m_small.get());
    const std::string s = label("page") + " " + std::to_string(m_page);
    pango_layout_set_text(layout.get(), s.c_str(), static_cast<int>(s.size()));
    cairo_move_to(m_cr.get(), k_margin, k_page_height - k_margin);
    pango_cairo_show_layout(m_cr.get(), layout.get());
  }

  void new_page() {
    footer();
    cairo_show_page(m_cr.get());
    ++m_page;
    m_y = k_margin;
  }

  // `hanging`: a list item, its bullet first and every line of its text that much further in.
  void paragraph(const std::string& raw, const PangoFontDescription* font, double indent, int bold, double after,
                 double hanging = 0) {
    const std::string s = hanging > 0 ? "•\t" + clean(raw) : clean(raw);
    Layout layout(pango_cairo_create_layout(m_cr.get()));
    pango_layout_set_font_description(layout.get(), font);
    pango_layout_set_width(layout.get(), pango_units_from_double(k_page_width - 2 * k_margin - indent));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout.get(), s.c_str(), static_cast<int>(s.size()));
    if (hanging > 0) {
      pango_layout_set_indent(layout.get(), -pango_units_from_double(hanging));
      PangoTabArray* tabs = pango_tab_array_new_with_positions(1, TRUE, PANGO_TAB_LEFT, static_cast<int>(hanging));
      pango_layout_set_tabs(layout.get(), tabs);
      pango_tab_array_free(tabs);
    }
    if (bold != 0) {
      PangoAttrList* attrs = pango_attr_list_new();
      PangoAttribute* weight = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
      weight->start_index = 0;
      weight->end_index = bold < 0 ? G_MAXUINT : static_cast<guint>(std::min(static_cast<size_t>(bold), s.size()));
      pango_attr_list_insert(attrs, weight);
      pango_layout_set_attributes(layout.get(), attrs);
      pango_attr_list_unref(attrs);
    }
    PangoLayoutIter* it = pango_layout_get_iter(layout.get());
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      const double top = pango_units_to_double(logical.y);
      const double height = pango_units_to_double(logical.height);
      const double baseline = pango_units_to_double(pango_layout_iter_get_baseline(it));
      if (m_y + height > bottom()) new_page();
      cairo_move_to(m_cr.get(), k_margin + indent + pango_units_to_double(logical.x), m_y + (baseline - top));
      pango_cairo_show_layout_line(m_cr.get(), pango_layout_iter_get_line_readonly(it));
      m_y += height;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    m_y += after;
  }

  Surface m_surface;
  Cairo m_cr;
  std::string m_lang;
  Font m_body, m_small, m_heading, m_title;
  double m_y = 0;
  int m_page = 1;
};

void register_section(Writer& w, const nlohmann::json& reg) {
  w.heading(w.label("heading_register"));
  for (const char* key : {"register_name", "controller", "contact", "purposes", "recipients", "transfers", "sources",
                          "retention", "security", "rights", "authority"}) {
    const auto it = reg.find(key);
    if (it == reg.end() || it->is_null() || (it->is_array() && it->empty())) continue;
    w.subheading(w.label(key));
    if (it->is_string()) {
      w.line(it->get<std::string>(), 10);
    } else {
      const bool several = it->size() > 1;
      for (const auto& l : *it) several ? w.bullet(text(l)) : w.line(text(l), 10);
    }
  }
}

std::string source_label(Writer& w, const std::string& source) {
  return source.empty() ? "" : w.label("source." + source);
}

void data_section(Writer& w, const nlohmann::json& customer) {
  w.heading(w.label("heading_data"));
  for (const auto& f : customer["fields"]) {
    const std::string value = text(f["value"]);
    if (value.empty()) continue;
    const std::string key = text(f["field"]);
    const std::string shown = key == "source" ? source_label(w, value) : value;
    std::string when;
    if (!f["recorded"].is_null()) when = "  (" + w.label("set_on") + " " + text(f["recorded"]).substr(0, 10) + ")";
    w.labelled(text(f["label"]), shown + when);
  }
  for (const auto& fb : customer["feedback"]) w.labelled(w.label("feedback") + " " + text(fb["date"]), text(fb["text"]));
}

void history_section(Writer& w, const nlohmann::json& history) {
  if (history.size() < 2) return;
  w.heading(w.label("heading_history"));
  for (const auto& v : history) {
    std::string head = w.label("version") + " " + text(v["version"]) + ", " + text(v["recorded"]);
    if (!text(v["reason"]).empty()) head += ", " + w.label("reason") + ": " + text(v["reason"]);
    if (text(v["version"]) == "1") head += " (" + w.label("first_version") + ")";
    w.subheading(head);
    if (text(v["version"]) == "1") continue;
    for (const auto& c : v["changes"]) {
      std::string field = text(c["field"]);
      for (auto& ch : field)
        if (ch == '_') ch = '-';
      const std::string before = text(c["old"]).empty() ? w.label("empty") : text(c["old"]);
      const std::string after = text(c["new"]).empty() ? w.label("empty") : text(c["new"]);
      w.labelled(w.label("field." + field), before + "  →  " + after, 10);
    }
  }
}

// "evidence: document N", and when it was erased since, that too.
std::string evidence(Writer& w, const nlohmann::json& state_or_event) {
  std::string out = w.label("evidence") + " " + text(state_or_event["document"]);
  if (!state_or_event["document_erased"].is_null())
    out += " (" + w.label("document_erased") + " " + text(state_or_event["document_erased"]) + ")";
  return out;
}

void consents_section(Writer& w, const nlohmann::json& consents, const std::string& lang) {
  w.heading(w.label("heading_consents"));
  std::map<std::string, std::string> names;
  for (const auto& s : consents["states"]) {
    const std::string name = text(s["labels"][lang]);
    names[text(s["purpose"])] = name;
    std::string state = text(s["state"]);
    std::string shown = s["ban"].get<bool>() && state == "granted" ? w.label("state.in-force") : w.label("state." + state);
    if (!s["since"].is_null() && !text(s["since"]).empty()) shown += ", " + w.label("since") + " " + text(s["since"]);
    if (!s["document"].is_null()) shown += ", " + evidence(w, s);
    w.labelled(name, shown);
  }
  if (consents["events"].empty()) return;
  w.heading(w.label("heading_consent_events"));
  for (const auto& e : consents["events"]) {
    std::string line = text(e["effective"]) + "  " + names[text(e["purpose"])] + ": " + w.label("state." + text(e["state"]));
    if (!e["document"].is_null()) line += ", " + evidence(w, e);
    if (!text(e["note"]).empty()) line += " (" + text(e["note"]) + ")";
    if (!e["corrected_by"].is_null()) line += " [" + w.label("corrected") + "]";
    w.bullet(line);
  }
}

void documents_section(Writer& w, const nlohmann::json& documents) {
  w.heading(w.label("heading_documents"));
  if (documents.empty()) w.line(w.label("none"));
  for (const auto& d : documents) {
    std::string head = w.label("document") + " " + text(d["id"]);
    std::string line = w.label("kind." + text(d["kind"]));
    if (d["erased"].get<bool>()) {
      line += ", " + w.label("erased");
    } else {
      line += ", " + text(d["pages"]) + " " + w.label(text(d["pages"]) == "1" ? "one_page" : "pages") + ", " +
              w.label("imported") + " " +
              text(d["imported"]).substr(0, 10);
      if (!d["station"].is_null()) line += ", " + w.label("station") + " " + text(d["station"]);
      line += ", " + w.label("copy_file") + " " + text(d["file"]);
    }
    w.labelled(head, line);
  }
}

void reads_section(Writer& w, const nlohmann::json& reads) {
  w.heading(w.label("heading_reads"));
  if (reads.empty()) w.line(w.label("none"));
  for (const auto& r : reads) {
    const std::string what = r["document"].is_null() ? "" : w.label("document") + " " + text(r["document"]) + ": ";
    const std::string why = r["reason"].is_null() ? w.label("reason_erased") : text(r["reason"]);
    w.bullet(text(r["at"]) + "  " + what + w.label("action." + text(r["action"])) + " (" + why + ")");
  }
}

void requests_section(Writer& w, const nlohmann::json& requests) {
  w.heading(w.label("heading_requests"));
  for (const auto& r : requests) {
    std::string line = w.label("request." + text(r["kind"])) + ", " + w.label("received") + " " + text(r["received"]) + ", " +
           w.label("deadline") + " " + text(r["deadline"]) + ", ";
    line += r["closed"].is_null() ? w.label("open") : w.label("closed") + " " + text(r["closed"]["at"]).substr(0, 10);
    w.bullet(std::to_string(r["id"].get<std::int64_t>()) + ": " + line);
  }
}

}  // namespace

Bytes inspection_report_pdf(const nlohmann::json& data) {
  Bytes out;
  const std::string lang = text(data["lang"]);
  {
    Writer w(out, lang);
    w.title(w.label("title"));
    w.line(w.label("intro"), 0, 0, 6);
    w.labelled(w.label("field.name"), text(data["customer"]["name"]));
    w.labelled(w.label("field.number"), text(data["customer"]["number"]));
    w.labelled(w.label("request"), text(data["request"]["id"]) + ", " + w.label("received") + " " +
                                       text(data["request"]["received"]));
    w.labelled(w.label("generated"), text(data["generated"]));
    if (!data["customer"]["restricted_since"].is_null()) {
      std::string restricted = w.label("restricted");
      restricted.replace(restricted.find("{date}"), 6, text(data["customer"]["restricted_since"]));
      w.line(restricted, 0, 0, 6);
    }

    w.heading(w.label("heading_fee"));
    const auto& fee = data["fee"];
    w.line(fee["decision"] == "free" ? w.label("fee_free") : w.label("fee_charged"), 0, -1);
    if (fee["free_per_year"] == 1) {
      w.line(w.label("fee_rule"));
    } else {
      std::string rule = w.label("fee_rule_count");
      rule.replace(rule.find("{n}"), 3, text(fee["free_per_year"]));
      w.line(rule);
    }
    std::string previous;
    for (const auto& d : fee["previous"]) previous += (previous.empty() ? "" : ", ") + text(d);
    w.labelled(w.label("previous"), previous.empty() ? w.label("none") : previous);

    data_section(w, data["customer"]);
    history_section(w, data["history"]);
    consents_section(w, data["consents"], lang);
    documents_section(w, data["documents"]);
    reads_section(w, data["reads"]);
    requests_section(w, data["requests"]);
    register_section(w, data["register"]);
    w.heading(" ");
    w.line(w.label("handover"), 0, -1);
    w.finish();
  }
  return out;
}

}  // namespace kaappi
