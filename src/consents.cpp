// consents.cpp — see consents.h.
#include "consents.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "error.h"

namespace kaappi {

const std::vector<Purpose>& purposes() {
  static const std::vector<Purpose> list = {
      {"email-marketing", "Sähköpostimarkkinointi", "E-postmarknadsföring", "E-mail marketing", false},
      {"sms-marketing", "Tekstiviestimarkkinointi", "SMS-marknadsföring", "SMS marketing", false},
      {"electronic-marketing", "Muu sähköinen suoramarkkinointi", "Annan elektronisk direktmarknadsföring",
       "Other electronic direct marketing", false},
      {"personal-data", "Henkilötietojen käyttö", "Användning av personuppgifter", "Use of personal data", false},
      {"research", "Tieteellinen tutkimus", "Vetenskaplig forskning", "Scientific research", false},
      {"development-contact", "Ei-tunnistavien tietojen keruu ja yhteydenotot palvelun kehittämiseksi",
       "Insamling av icke-identifierande uppgifter och kontakt för att utveckla tjänsten",
       "Non-identifying data collection and contact to develop the service", false},
      {"ban-direct-advertising", "Suoramainontakielto", "Förbud mot direktreklam", "Ban on direct advertising", true},
      {"ban-distance-selling", "Etämyyntikielto", "Förbud mot distansförsäljning", "Ban on distance selling", true},
      {"ban-direct-marketing", "Muun suoramarkkinoinnin kielto", "Förbud mot annan direktmarknadsföring",
       "Ban on other direct marketing", true},
  };
  return list;
}

const Purpose& find_purpose(const std::string& id) {
  for (const auto& p : purposes())
    if (id == p.id) return p;
  std::string all;
  for (const auto& p : purposes()) all += std::string(all.empty() ? "" : ", ") + p.id;
  fail(ErrorKind::usage, "unknown purpose '" + id + "'; use one of: " + all);
}

ConsentEvent open_consent_event(const FieldCipher& cipher, const ConsentEventRow& row) {
  std::string text = cipher.open("consent_events", "event", row.uid, row.event);
  ConsentEvent e;
  try {
    auto j = nlohmann::json::parse(text);
    e.purpose = j.at("purpose").get<std::string>();
    e.state = j.at("state").get<std::string>();
    e.effective = j.at("effective").get<std::string>();
    if (!j.at("document").is_null()) e.document = j.at("document").get<std::int64_t>();
    e.source = j.at("source").get<std::string>();
    e.note = j.at("note").get<std::string>();
    e.recorded_by = j.at("recorded_by").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    fail(ErrorKind::corrupt, "consent event " + std::to_string(row.id) + " cannot be read");
  }
  e.id = row.id;
  e.recorded_at = row.recorded_at;
  return e;
}

ConsentEvent record_consent(Session& session, const Customer& customer, ConsentEvent e) {
  find_purpose(e.purpose);
  if (e.state != "granted" && e.state != "refused" && e.state != "withdrawn")
    fail(ErrorKind::usage, "--state must be granted, refused or withdrawn, not '" + e.state + "'");
  if (e.document) {
    auto doc = session.index().document(*e.document);
    if (!doc) fail(ErrorKind::not_found, "no document " + std::to_string(*e.document) + " (see kaappi documents)");
    if (doc->customer_id != customer.id)
      fail(ErrorKind::rejected, "document " + std::to_string(*e.document) + " belongs to another customer; nothing was changed");
  }
  if (e.source.empty()) e.source = e.document ? "signed-form" : "recorded";
  e.recorded_by = current_user();
  nlohmann::json j = {{"purpose", e.purpose}, {"state", e.state}, {"effective", e.effective},
                      {"document", e.document ? nlohmann::json(*e.document) : nlohmann::json(nullptr)},
                      {"source", e.source}, {"note", e.note}, {"recorded_by", e.recorded_by}};
  ConsentEventRow row;
  row.uid = random_bytes(k_uid_size);
  row.customer_id = customer.id;
  row.recorded_at = now_seconds();
  row.event = session.cipher().seal("consent_events", "event", row.uid,
                                    j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  Index::Writer writer(session.index(), session.key().sign_sk);
  writer.insert_consent_event(row);
  writer.commit();
  session.archive().remember_head();
  e.id = row.id;
  e.recorded_at = row.recorded_at;
  return e;
}

std::vector<ConsentEvent> consent_events(Session& session, const Customer& customer) {
  std::vector<ConsentEvent> out;
  for (const auto& row : session.index().consent_events(customer.id))
    out.push_back(open_consent_event(session.cipher(), row));
  return out;
}

std::vector<ConsentState> consent_states(const std::vector<ConsentEvent>& events, const std::string& as_of) {
  std::vector<ConsentState> out;
  for (const auto& p : purposes()) {
    ConsentState s{&p, std::nullopt};
    for (const auto& e : events) {  // in recording order
      if (e.purpose != p.id || e.effective > as_of) continue;
      if (!s.event || e.effective >= s.event->effective) s.event = e;
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace kaappi
