// form_instances.h — printed forms' codes (docs/FORMS.md): each printed form
// is a form instance, a signed form_instances row with a random id, its
// template, language and customer (none for a blank form; export/form_print
// writes them), and each of its pages carries a QR code: that id, the
// template, the page and a MAC under the form-code key (derived from the
// master secret, ArchiveKey::form_code), never a name or number. Reading a
// code back from a scan checks the MAC and finds the instance.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "pdf/form_code.h"
#include "store/session.h"

namespace kaappi {

// The code's MAC: keyed BLAKE2b-128 of FormCode::authenticated() under the
// form-code key, its first 12 bytes.
form::CodeMac form_code_mac(const SecretBuffer& key, const form::FormCode& code);

// What a QR code's text says, checked against the archive.
struct CheckedFormCode {
  enum class Verdict {
    valid,             // kaappi's code, its MAC right, a form printed from this archive
    not_kaappi,        // another program's code (or too damaged to be kaappi's)
    forged,            // kaappi's code whose MAC is wrong: another archive's form, or altered
    unknown_form,      // its MAC is right but no such form was printed here (a form printed elsewhere with this key)
    unknown_template,  // a template version this build does not know
  } verdict = Verdict::not_kaappi;
  form::FormCode code;                  // when it parsed
  std::optional<FormInstanceRow> form;  // when valid
};
CheckedFormCode check_form_code(Session& session, const SecretBuffer& code_key, const std::string& text);
// One sentence on why a code is not valid ("a QR code that is not kaappi's", ...).
std::string form_code_verdict_text(CheckedFormCode::Verdict verdict);

// The footer's short id of a form: its instance id's first 8 base32 characters, as XXXX-XXXX.
std::string form_label(const Bytes& instance);

}  // namespace kaappi
