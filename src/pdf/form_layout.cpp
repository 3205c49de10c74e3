// form_layout.cpp — see form_layout.h. NEVER CHANGE A PRINTED VERSION:
// append a new one instead.
#include "pdf/form_layout.h"

namespace kaappi::form {
namespace {

// Version 1 (printed from kaappi 0.13): two pages. Page 1 asks for the six
// consents (20–78 mm down the page's left side) and the three bans, with the
// date and signature lines below; page 2 is the register's short notice and
// has no boxes.
TemplateLayout version_1() {
  TemplateLayout t;
  t.version = 1;
  constexpr double mark = 6, inset = 10;
  t.marks[0] = {inset, inset, mark, mark};
  t.marks[1] = {210 - inset - mark, inset, mark, mark};
  t.marks[2] = {inset, 297 - inset - mark, mark, mark};
  t.marks[3] = {210 - inset - mark, 297 - inset - mark, mark, mark};
  t.qr = {166, 22, 26, 26};
  t.qr_quiet = 4;
  t.box_line = 0.5;
  PageLayout consents;
  const char* consent_ids[] = {"email-marketing", "sms-marketing", "electronic-marketing",
                               "personal-data",   "research",      "development-contact"};
  double y = 88;
  for (const char* id : consent_ids) {
    consents.boxes.push_back({id, {22, y, 6, 6}});
    y += 12;
  }
  const char* ban_ids[] = {"ban-direct-advertising", "ban-distance-selling", "ban-direct-marketing"};
  y = 182;
  for (const char* id : ban_ids) {
    consents.boxes.push_back({id, {22, y, 6, 6}});
    y += 12;
  }
  t.pages.push_back(consents);
  t.pages.push_back(PageLayout{});
  return t;
}

}  // namespace

const TemplateLayout* form_template(int version) {
  static const TemplateLayout v1 = version_1();
  if (version == 1) return &v1;
  return nullptr;
}

int current_form_template() { return 1; }

}  // namespace kaappi::form
