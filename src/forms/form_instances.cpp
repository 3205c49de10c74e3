// form_instances.cpp — see form_instances.h.
#include "forms/form_instances.h"

#include <sodium.h>

#include <algorithm>

#include "base/error.h"
#include "pdf/form_layout.h"

namespace kaappi {
form::CodeMac form_code_mac(const SecretBuffer& key, const form::FormCode& code) {
  if (key.size() != crypto_generichash_KEYBYTES) fail(ErrorKind::internal, "a form-code key of the wrong size");
  const auto message = code.authenticated();
  unsigned char full[16];
  crypto_generichash(full, sizeof full, message.data(), message.size(), key.data(), key.size());
  form::CodeMac mac{};
  std::copy(full, full + mac.size(), mac.begin());
  return mac;
}

CheckedFormCode check_form_code(Session& session, const SecretBuffer& code_key, const std::string& text) {
  CheckedFormCode out;
  std::optional<form::FormCode> code = form::parse_form_code(text);
  if (!code) return out;
  out.code = *code;
  const form::CodeMac expected = form_code_mac(code_key, *code);
  if (sodium_memcmp(expected.data(), code->mac.data(), expected.size()) != 0) {
    out.verdict = CheckedFormCode::Verdict::forged;
    return out;
  }
  const form::TemplateLayout* layout = form::form_template(code->template_version);
  if (!layout || code->page > static_cast<int>(layout->pages.size())) {
    out.verdict = CheckedFormCode::Verdict::unknown_template;
    return out;
  }
  out.form = session.index().form_instance(Bytes(code->instance.begin(), code->instance.end()));
  if (!out.form || out.form->template_version != code->template_version) {
    out.form.reset();
    out.verdict = CheckedFormCode::Verdict::unknown_form;
    return out;
  }
  out.verdict = CheckedFormCode::Verdict::valid;
  return out;
}

std::string form_code_verdict_text(CheckedFormCode::Verdict verdict) {
  using V = CheckedFormCode::Verdict;
  switch (verdict) {
    case V::valid: return "a form printed from this archive";
    case V::not_kaappi: return "a QR code that is not a kaappi form's";
    case V::forged: return "a kaappi form code that does not authenticate (another archive's form, or altered)";
    case V::unknown_form: return "a kaappi form code of no form printed from this archive";
    case V::unknown_template: return "a kaappi form code of a form template this kaappi does not know";
  }
  return "";
}

std::string form_label(const Bytes& instance) {
  const std::string b = form::base32(instance.data(), instance.size());
  return b.substr(0, 4) + "-" + b.substr(4, 4);
}

}  // namespace kaappi
