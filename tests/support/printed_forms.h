// printed_forms.h — for unit tests of the paper loop (tests/unit): an
// archive with forms printed for two customers and a blank one, the QR
// code of any page of them, and a PDF summary listing codes the way the
// PDF helper does.
#pragma once

#include <nlohmann/json.hpp>

#include "export/form_print.h"
#include "export/register_texts.h"
#include "forms/form_instances.h"
#include "pdf/form_code.h"
#include "support/archive_fixture.h"

namespace kaappi::test {

inline RegisterTexts example_texts() {
  return read_register_texts(std::string(KAAPPI_SOURCE_DIR) + "/docs/register-texts.example", "template");
}

// The code of page `page` of form row `row`, under `key`.
inline std::string code_of(const FormInstanceRow& row, int page, const SecretBuffer& key) {
  form::FormCode code;
  code.template_version = static_cast<int>(row.template_version);
  code.page = page;
  std::copy(row.instance.begin(), row.instance.end(), code.instance.begin());
  code.mac = form_code_mac(key, code);
  return form::encode_form_code(code);
}

// A summary whose pages carry these codes (page number → its codes).
inline std::string summary_with(const std::vector<std::pair<int, std::vector<std::string>>>& pages, const std::string& text = "") {
  nlohmann::json j = {{"pages", 4}, {"text", text}, {"metadata", nlohmann::json::object()}};
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [page, codes] : pages) list.push_back({{"page", page}, {"codes", codes}});
  j["form_pages"] = list;
  return j.dump();
}

struct Printed {
  ArchiveFixture fx;
  Customer anna, bert;
  std::vector<FormInstanceRow> rows;  // anna's, bert's, a blank one
  Printed() {
    anna = fx.add_customer("1001", "Anna Asiakas");
    bert = fx.add_customer("1002", "Bert Bertilsson");
    FormPrintOptions o;
    o.customers = {"1001", "1002"};
    o.blank = 1;
    o.output = fx.dir() + "/forms.pdf";
    print_forms(fx.session(), o, example_texts());
    rows = fx.session().index().form_instances();
  }
  SecretBuffer key() { return fx.session().secrets().derive(ArchiveKey::form_code); }
};

}  // namespace kaappi::test
