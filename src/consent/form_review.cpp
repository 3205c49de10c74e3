// form_review.cpp — see form_review.h.
#include "consent/form_review.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/dates.h"
#include "base/error.h"
#include "base/word_list.h"
#include "consent/consents.h"
#include "consent/purposes.h"
#include "documents/document_record.h"
#include "forms/form_instances.h"
#include "register/customers.h"

namespace kaappi {
namespace {

constexpr const char* k_source = "signed-form";

std::string doc(std::int64_t id) { return "document " + std::to_string(id); }

// Which documents' scans hold each printed form (form_instances id →
// document ids), of the consent-form documents not erased.
using ScansOfForms = std::map<std::int64_t, std::vector<std::int64_t>>;
ScansOfForms scans_of_forms(Session& session, const SecretBuffer& code_key) {
  ScansOfForms out;
  for (const DocumentRow& row : session.index().documents()) {
    if (row.erased() || row.current_kind() != "consent-form") continue;
    for (const ScannedForm& f : read_scanned_forms(session, code_key, open_document_info(session, row).summary_json))
      out[f.form.id].push_back(row.id);
  }
  return out;
}

// The form a document's scan holds, with what is recorded of it; nullopt
// when the scan holds no form of this archive. `in_scan` gets the ids of
// every form the scan holds.
std::optional<FormReview> review_of(Session& session, const SecretBuffer& code_key, const DocumentRow& row,
                                    std::vector<std::int64_t>& in_scan) {
  const DocumentInfo info = open_document_info(session, row);
  std::vector<ScannedForm> forms = read_scanned_forms(session, code_key, info.summary_json);
  for (const ScannedForm& f : forms) in_scan.push_back(f.form.id);
  if (forms.empty()) return std::nullopt;
  FormReview r;
  r.document = row;
  r.customer = info.customer_number;
  // The form printed for the document's customer, when the scan holds
  // several: the others are another's, or a second copy.
  size_t pick = 0;
  if (forms.size() > 1 && !r.customer.empty())
    if (std::optional<Customer> c = find_customer(session, r.customer))
      for (size_t i = 0; i < forms.size(); ++i)
        if (forms[i].form.customer_id == c->id) {
          pick = i;
          break;
        }
  r.label = form_label(forms[pick].form.instance);
  if (forms.size() > 1) {
    std::vector<std::string> others;
    for (size_t i = 0; i < forms.size(); ++i)
      if (i != pick) others.push_back(form_label(forms[i].form.instance));
    forms[pick].notes.push_back("the scan holds " + std::to_string(forms.size()) + " forms: this review reads form " +
                                r.label + "; the boxes of " + and_list(others) +
                                " are not read here (scan each form on its own)");
  }
  r.form = std::move(forms[pick]);
  r.printout = summary_is_printout(info.summary_json);
  if (r.printout)
    r.form.notes.push_back("this is a drawn PDF of the form (kaappi's printout, or a copy of it), not a scan of the signed form: nothing in "
                           "it can be accepted");
  std::set<std::string> cited;
  for (ConsentEvent& e : consent_events_citing(session, row.id)) {
    cited.insert(e.purpose);
    r.recorded.push_back(std::move(e));
  }
  for (const FormPageRead& page : r.form.pages)
    for (const BoxProposal& box : page.boxes)
      if (!cited.count(box.purpose)) r.pending.push_back(box.purpose);
  return r;
}

// The other documents whose scans hold the review's form (`scans`), and
// those of them that consent events cite, with a note.
void name_other_scans(Session& session, FormReview& r, const ScansOfForms& scans) {
  if (auto found = scans.find(r.form.form.id); found != scans.end())
    for (std::int64_t other : found->second)
      if (other != r.document.id) {
        r.also_in.push_back(other);
        if (!consent_events_citing(session, other).empty()) r.accepted_in.push_back(other);
      }
  if (!r.also_in.empty())
    r.form.notes.push_back("form " + r.label + " is also in " + (r.also_in.size() == 1 ? "document " : "documents ") +
                           and_list(r.also_in) +
                           (r.accepted_in.empty() ? "" : " (accepted from " + and_list(r.accepted_in) + ")") +
                           ": one printout is signed once; compare the scans (kaappi get ID) before deciding");
}

// One document's review with the other scans of its form named.
std::optional<FormReview> review_of_one(Session& session, const SecretBuffer& code_key, const DocumentRow& row) {
  std::vector<std::int64_t> in_scan;
  std::optional<FormReview> r = review_of(session, code_key, row, in_scan);
  if (r) name_other_scans(session, *r, scans_of_forms(session, code_key));
  return r;
}

const BoxProposal* box_of(const FormReview& r, const std::string& purpose) {
  for (const FormPageRead& page : r.form.pages)
    for (const BoxProposal& box : page.boxes)
      if (box.purpose == purpose) return &box;
  return nullptr;
}

// The document's form, for a decision on it: refused unless it is a form of
// this archive, of a customer, the one it was printed for.
FormReview decidable(Session& session, std::int64_t id, Customer& customer) {
  std::optional<DocumentRow> row = session.index().document(id);
  if (!row) fail(ErrorKind::not_found, "no " + doc(id) + " (see kaappi documents)");
  if (row->erased()) fail(ErrorKind::rejected, erased_document_words(session, *row) + "; nothing was changed");
  const SecretBuffer key = session.secrets().derive(ArchiveKey::form_code);
  std::optional<FormReview> r = review_of_one(session, key, *row);
  if (!r || !r->form.boxes_read)
    fail(ErrorKind::rejected, doc(id) + " holds no page of a form printed from this archive with its boxes; record "
                                        "its consents one by one instead; nothing was changed");
  if (r->printout)
    fail(ErrorKind::rejected, doc(id) + " is a drawn PDF of the form (kaappi's printout, or a copy of it), not a scan of the signed form: it "
                                        "proves nothing; nothing was changed");
  if (r->customer.empty())
    fail(ErrorKind::rejected, doc(id) + " has no customer: assign it first; nothing was changed");
  std::optional<Customer> c = find_customer(session, r->customer);
  if (!c) fail(ErrorKind::rejected, doc(id) + "'s customer was erased; nothing was changed");
  if (r->form.form.customer_id != 0 && session.customer_erased(r->form.form.customer_id))
    fail(ErrorKind::rejected, "the form in " + doc(id) + " was printed for a customer erased since, not for customer " +
                                  c->number() + " whose document it is; nothing was changed");
  if (r->form.form.customer_id != 0 && r->form.form.customer_id != c->id) {
    std::optional<Customer> printed_for = customer_by_id(session, r->form.form.customer_id);
    fail(ErrorKind::rejected, "the form in " + doc(id) + " was printed for " +
                                  (printed_for ? "customer " + printed_for->number() : std::string("another customer")) +
                                  ", not for customer " + c->number() + " whose document it is; nothing was changed");
  }
  check_consent_document(session, c->id, id);
  customer = std::move(*c);
  return std::move(*r);
}

void check_signed_on(Session& session, const FormReview& r, const std::string& signed_on) {
  if (days_between(date_of(session.now()), signed_on) > 0)
    fail(ErrorKind::rejected, "the signing date " + signed_on + " is after today; nothing was changed");
  const std::string printed = date_of(r.form.form.at);
  if (days_between(printed, signed_on) < 0)
    fail(ErrorKind::rejected, "the form was printed on " + printed + ": it cannot have been signed on " + signed_on +
                                  "; nothing was changed");
}

std::string state_of(const BoxProposal& box) {
  const bool ticked = box.reading.mark == form::BoxMark::ticked;
  if (find_purpose(box.purpose).is_ban) return ticked ? "granted" : "withdrawn";
  return ticked ? "granted" : "refused";
}

}  // namespace

std::vector<FormReview> forms_to_review(Session& session, std::optional<std::int64_t> document, bool all) {
  std::vector<FormReview> out;
  const SecretBuffer key = session.secrets().derive(ArchiveKey::form_code);
  if (document) {
    std::optional<DocumentRow> row = session.index().document(*document);
    if (!row) fail(ErrorKind::not_found, "no " + doc(*document) + " (see kaappi documents)");
    if (row->erased()) fail(ErrorKind::rejected, erased_document_words(session, *row));
    std::optional<FormReview> r = review_of_one(session, key, *row);
    if (!r) fail(ErrorKind::rejected, doc(*document) + " holds no form printed from this archive");
    out.push_back(std::move(*r));
  } else {
    // Each scan read once: its review, and which forms it holds.
    ScansOfForms scans;
    for (const DocumentRow& row : session.index().documents()) {
      if (row.erased() || row.current_kind() != "consent-form") continue;
      std::vector<std::int64_t> in_scan;
      std::optional<FormReview> r = review_of(session, key, row, in_scan);
      for (std::int64_t id : in_scan) scans[id].push_back(row.id);
      if (r && (all || !r->reviewed())) out.push_back(std::move(*r));
    }
    for (FormReview& r : out) name_other_scans(session, r, scans);
  }
  return out;
}

void check_accept_request(const AcceptRequest& request) {
  parse_date(request.signed_on, Message("the signing date (") + Field{"signed"} + ")");
  for (const std::string& p : request.except) find_purpose(p);
}

AcceptOutcome accept_form(Session& session, const AcceptRequest& request) {
  check_accept_request(request);
  Customer customer;
  FormReview r = decidable(session, request.document, customer);
  check_signed_on(session, r, request.signed_on);
  if (!r.accepted_in.empty())
    fail(ErrorKind::rejected, "form " + r.label + " was accepted already from " +
                                  (r.accepted_in.size() == 1 ? "document " : "documents ") + and_list(r.accepted_in) +
                                  ": one printout is signed once. Compare the scans (kaappi get ID); record what this "
                                  "one shows box by box (kaappi review set) if it is right; nothing was changed");
  for (const std::string& p : request.except)
    if (!box_of(r, p))
      fail(ErrorKind::usage, "the form has no box for '" + p + "' to leave out; its boxes: " +
                                 comma_list([&] {
                                   std::vector<std::string> ids;
                                   for (const auto& page : r.form.pages)
                                     for (const auto& b : page.boxes) ids.push_back(b.purpose);
                                   return ids;
                                 }()));
  AcceptOutcome out;
  std::vector<std::string> unsure;
  std::vector<const BoxProposal*> taken;
  for (const std::string& purpose : r.pending) {
    if (std::find(request.except.begin(), request.except.end(), purpose) != request.except.end()) {
      out.left_out.push_back(purpose);
      continue;
    }
    const BoxProposal* box = box_of(r, purpose);
    if (box->reading.mark == form::BoxMark::unsure) {
      const std::string why = form::unsure_reason_name(box->reading.reason);
      unsure.push_back(purpose + (why.empty() ? "" : " (" + why + ")"));
    } else {
      taken.push_back(box);
    }
  }
  if (!unsure.empty())
    fail(ErrorKind::rejected, "the reading of " + comma_list(unsure) +
                                  " is unsure: look at the form and record each as you read it, or leave it out (" +
                                  Field{"except"} + "); nothing was changed");
  if (taken.empty())
    fail(ErrorKind::rejected, r.pending.empty() ? doc(request.document) + " was reviewed already; nothing was changed"
                                                : "every box left is left out; nothing was changed");
  std::vector<ConsentEventRow> rows;
  for (const BoxProposal* box : taken) {
    ConsentEvent e;
    e.purpose = box->purpose;
    e.state = state_of(*box);
    e.effective = request.signed_on;
    e.document = request.document;
    e.source = k_source;
    e.note = request.note;
    e = checked_consent_request(std::move(e));
    rows.push_back(seal_consent_event(session, customer.id, e));
    out.recorded.push_back(std::move(e));
  }
  session.write([&](Index::Writer& w) {
    for (ConsentEventRow& row : rows) w.insert_consent_event(row);
  });
  for (size_t i = 0; i < rows.size(); ++i) out.recorded[i].id = rows[i].id;
  return out;
}

ConsentEvent set_form_box(Session& session, std::int64_t document, const std::string& purpose,
                          const std::string& state, const std::string& signed_on, const std::string& note) {
  parse_date(signed_on, Message("the signing date (") + Field{"signed"} + ")");
  Customer customer;
  FormReview r = decidable(session, document, customer);
  check_signed_on(session, r, signed_on);
  if (!box_of(r, purpose)) fail(ErrorKind::usage, "the form in " + doc(document) + " has no box for '" + purpose + "'");
  ConsentEvent e;
  e.purpose = purpose;
  e.state = state;
  e.effective = signed_on;
  e.document = document;
  e.source = k_source;
  e.note = note;
  return record_consent(session, customer, std::move(e));
}

}  // namespace kaappi
