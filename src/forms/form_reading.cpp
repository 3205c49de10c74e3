// form_reading.cpp — see form_reading.h.
#include "forms/form_reading.h"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "forms/form_instances.h"
#include "pdf/form_layout.h"
#include "pdf/form_scan.h"
#include "pdf/probe_protocol.h"

namespace kaappi {
namespace {

namespace field = probe::field;

// The crop's bytes, or nothing when it is not base64 of a sane size.
std::optional<std::vector<std::uint8_t>> crop_bytes(const nlohmann::json& j) {
  if (!j.is_string()) return std::nullopt;
  const std::string& text = j.get_ref<const std::string&>();
  constexpr size_t k_max = static_cast<size_t>(form::k_max_crop_side_px) * form::k_max_crop_side_px;
  if (text.size() > 4 * (k_max / 3 + 1)) return std::nullopt;
  std::vector<std::uint8_t> out(text.size() / 4 * 3 + 3);
  size_t length = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(length);
  return out;
}

int int_in(const nlohmann::json& j, const char* key, int low, int high, int otherwise) {
  if (!j.contains(key) || !j[key].is_number_integer()) return otherwise;
  const auto v = j[key].get<std::int64_t>();
  return v < low || v > high ? otherwise : static_cast<int>(v);
}

// A box's crop size in pixels, by the template's geometry (pdf/form_scan.h).
int crop_side(double box_mm) {
  return static_cast<int>(std::lround((box_mm + 2 * form::k_crop_margin_mm) * form::k_crop_px_per_mm));
}

}  // namespace

bool summary_is_printout(const std::string& summary_json) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(summary_json);
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  if (!j.is_object()) return false;
  const char* creator = "Creator";
  if (j.contains(field::metadata) && j[field::metadata].is_object() && j[field::metadata].contains(creator) &&
      j[field::metadata][creator] == form::k_printout_creator)
    return true;
  if (!j.contains(field::form_pages) || !j[field::form_pages].is_array()) return false;
  size_t seen = 0;
  for (const auto& entry : j[field::form_pages]) {
    if (++seen > static_cast<size_t>(form::k_max_form_pages)) break;
    if (entry.is_object() && entry.contains(field::form) && entry[field::form].is_object() &&
        int_in(entry[field::form], field::form_images, 0, 1 << 30, -1) == 0)
      return true;
  }
  return false;
}

std::vector<ScannedForm> read_scanned_forms(Session& session, const SecretBuffer& code_key,
                                            const std::string& summary_json) {
  std::vector<ScannedForm> out;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(summary_json);
  } catch (const nlohmann::json::exception&) {
    return out;
  }
  if (!j.is_object() || !j.contains(field::form_pages) || !j[field::form_pages].is_array()) return out;
  std::map<std::int64_t, size_t> by_form;  // form_instances id → its place in `out`
  auto scanned_form = [&](const FormInstanceRow& row) -> ScannedForm& {
    auto [at, added] = by_form.emplace(row.id, out.size());
    if (added) out.push_back(ScannedForm{row, {}, false, {}});
    return out[at->second];
  };
  // Pages whose code is valid here but which the helper could not read
  // (no corner marks or boxes placed): form id → (form page, scan page).
  std::map<std::int64_t, std::map<int, std::int64_t>> unread;
  size_t seen = 0;
  for (const auto& entry : j[field::form_pages]) {
    if (++seen > static_cast<size_t>(form::k_max_form_pages)) break;
    if (!entry.is_object()) continue;
    if (!entry.contains(field::form) || !entry[field::form].is_object()) {
      if (!entry.contains(field::form_codes) || !entry[field::form_codes].is_array()) continue;
      size_t codes = 0;
      for (const auto& text : entry[field::form_codes]) {
        if (++codes > static_cast<size_t>(form::k_max_codes_per_page)) break;
        if (!text.is_string()) continue;
        const CheckedFormCode checked = check_form_code(session, code_key, text.get<std::string>());
        if (checked.verdict != CheckedFormCode::Verdict::valid || !form::form_template(checked.code.template_version))
          continue;
        scanned_form(*checked.form);
        unread[checked.form->id].emplace(checked.code.page, int_in(entry, field::form_page, 1, 1 << 30, 0));
      }
      continue;
    }
    const auto& f = entry[field::form];
    if (!f.contains(field::form_code) || !f[field::form_code].is_string()) continue;
    const CheckedFormCode checked = check_form_code(session, code_key, f[field::form_code].get<std::string>());
    if (checked.verdict != CheckedFormCode::Verdict::valid) continue;
    const form::TemplateLayout* layout = form::form_template(checked.code.template_version);
    if (!layout) continue;
    ScannedForm& scanned = scanned_form(*checked.form);
    const int form_page = checked.code.page;
    if (std::any_of(scanned.pages.begin(), scanned.pages.end(),
                    [&](const FormPageRead& p) { return p.form_page == form_page; }))
      continue;  // a page scanned twice: its first scan counts
    FormPageRead page;
    page.pdf_page = int_in(entry, field::form_page, 1, 1 << 30, 0);
    page.form_page = form_page;
    page.turn = int_in(f, field::form_turn, 0, 270, 0);
    page.marks = int_in(f, field::form_marks, 0, 4, 0);
    const auto& boxes = layout->pages[static_cast<size_t>(form_page - 1)].boxes;
    const nlohmann::json none = nlohmann::json::array();
    const nlohmann::json& crops = f.contains(field::form_boxes) && f[field::form_boxes].is_array() ? f[field::form_boxes] : none;
    for (size_t i = 0; i < boxes.size(); ++i) {
      BoxProposal p;
      p.purpose = boxes[i].purpose;
      p.width = p.height = crop_side(boxes[i].outline.w);
      std::optional<std::vector<std::uint8_t>> bytes;
      if (i < crops.size()) bytes = crop_bytes(crops[i]);
      if (bytes && bytes->size() == static_cast<size_t>(p.width) * static_cast<size_t>(p.height)) p.crop = std::move(*bytes);
      p.reading = form::read_box(p.crop, p.width, p.height, boxes[i].outline.w);
      page.boxes.push_back(std::move(p));
    }
    if (!boxes.empty()) {
      scanned.boxes_read = true;
      if (page.marks < 3)
        scanned.notes.push_back("page " + std::to_string(form_page) + ": " + std::to_string(page.marks) +
                                " of 4 corner marks found; its boxes were placed by the QR code");
    }
    scanned.pages.push_back(std::move(page));
  }
  for (ScannedForm& scanned : out) {
    std::sort(scanned.pages.begin(), scanned.pages.end(),
              [](const FormPageRead& a, const FormPageRead& b) { return a.form_page < b.form_page; });
    const form::TemplateLayout* layout = form::form_template(static_cast<int>(scanned.form.template_version));
    for (size_t p = 0; layout && p < layout->pages.size(); ++p) {
      const int number = static_cast<int>(p) + 1;
      const bool has_boxes = !layout->pages[p].boxes.empty();
      const bool read = std::any_of(scanned.pages.begin(), scanned.pages.end(),
                                    [&](const FormPageRead& r) { return r.form_page == number; });
      if (!has_boxes || read) continue;
      const auto& missed = unread[scanned.form.id];
      const auto found = missed.find(number);
      if (found == missed.end())
        scanned.notes.push_back("page " + std::to_string(number) + " of the form, with its boxes, is not in the scan");
      else
        scanned.notes.push_back("page " + std::to_string(number) + " of the form, with its boxes, is page " +
                                std::to_string(found->second) +
                                " of the scan, but its boxes could not be placed (a corner of the page cut off, "
                                "or the page badly damaged): record its consents one by one");
    }
  }
  return out;
}

}  // namespace kaappi
