// form_review.h — kaappi review: a scanned form's boxes become consent
// events only when the key holder confirms them (docs/FORMS.md, "Review").
// The proposals are read from the document's sealed PDF summary each time
// (forms/form_reading.h), so nothing but the confirmed events is written.
//
// Accepting a form records, in one signed write, one event per box still
// pending (no event cites the document for its purpose yet) but those left
// out, each citing the document, source signed-form, effective on the
// signing date the key holder gives: a ticked consent granted, an empty one
// refused; a ticked ban in force (granted), an empty one withdrawn (the form
// says the person does not ban it). A box read as unsure is never accepted:
// the key holder decides it (review set) or leaves it out. A form is
// reviewed once no box is pending.
// Not thread-safe (one session).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "consent/consent_event.h"
#include "forms/form_reading.h"
#include "store/session.h"

namespace kaappi {

struct FormReview {
  DocumentRow document;
  std::string customer;  // number; "" while unassigned (assign it before accepting)
  std::string label;     // the form's short id (its footer)
  ScannedForm form;
  std::vector<ConsentEvent> recorded;  // the events citing it, of its boxes' purposes
  std::vector<std::string> pending;    // the boxes' purposes no event cites it for yet
  // Other documents whose scan holds the same printed form (one printout is
  // signed once: a second scan, or its code copied onto another page), and
  // of those, the ones with consent events citing them (accepted there).
  std::vector<std::int64_t> also_in, accepted_in;
  bool printout = false;  // a drawn PDF of the form (kaappi's printout or a copy), not a scan: signed by no one
  bool reviewed() const { return form.boxes_read && pending.empty(); }
};

// The scanned forms: every consent-form document whose scan holds a form of
// this archive, not yet reviewed (`all`: reviewed too), in document order;
// with `document`, that one (ErrorKind::not_found: no such document;
// rejected: erased, or no form of this archive in it). What it shows of
// customers is a read to log (the front end records it, rights/personal_reads.h).
std::vector<FormReview> forms_to_review(Session& session, std::optional<std::int64_t> document, bool all);

struct AcceptRequest {
  std::int64_t document = 0;
  std::string signed_on;             // YYYY-MM-DD: the date the person signed (read by the key holder)
  std::vector<std::string> except;   // purposes left out
  std::string note;
};
// What needs no archive: the date, the purposes named (ErrorKind::usage).
void check_accept_request(const AcceptRequest& request);

struct AcceptOutcome {
  std::vector<ConsentEvent> recorded;
  std::vector<std::string> left_out;     // excepted
};
// Accepts the form's readings. Refused, nothing written (ErrorKind::
// rejected): an unassigned document, a form printed for another customer
// than the document's, one already reviewed, a signing date before it was
// printed or after today, a box read as unsure and not left out (each
// named), nothing pending, a consent granted or a ban lifted for a
// restricted customer, a restricted document, a form accepted already from
// another document.
AcceptOutcome accept_form(Session& session, const AcceptRequest& request);

// Records one box's state as the key holder read it (an unsure box, or a
// correction before accepting): an event citing the document, source
// signed-form, effective on the signing date. The purpose must be one of
// the form's boxes.
ConsentEvent set_form_box(Session& session, std::int64_t document, const std::string& purpose,
                          const std::string& state, const std::string& signed_on, const std::string& note);

}  // namespace kaappi
