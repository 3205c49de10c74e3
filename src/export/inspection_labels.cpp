// inspection_labels.cpp — see inspection_labels.h.
#include "export/inspection_labels.h"

#include <vector>

#include "base/languages.h"

namespace kaappi {
namespace {

const std::vector<Translation>& labels() {
  static const std::vector<Translation> table{
      // Headings and sentences.
      {"title", "Tarkastuspyyntöön annettavat tiedot", "Registerutdrag på begäran om granskning",
       "Inspection copy: your data in the register"},
      {"intro", "Tämä on jäljennös kaikista tiedoista, joita rekisterissä on sinusta, tarkastuspyyntösi perusteella.",
       "Detta är en kopia av alla uppgifter som registret har om dig, på din begäran om granskning.",
       "This is a copy of all the data the register holds about you, made at your request to inspect it."},
      {"request", "Tarkastuspyyntö", "Begäran om granskning", "Inspection request"},
      {"received", "vastaanotettu", "mottagen", "received"},
      {"generated", "Laadittu", "Upprättad", "Made on"},
      {"heading_register", "Rekisterinpitäjä ja rekisteri", "Registeransvarig och register", "Controller and register"},
      {"register_name", "Rekisterin nimi", "Registrets namn", "Name of the register"},
      {"controller", "Rekisterinpitäjä", "Registeransvarig", "Controller"},
      {"contact", "Yhteyshenkilö rekisteriä koskevissa asioissa", "Kontaktperson i ärenden som gäller registret",
       "Contact person for matters of the register"},
      {"purposes", "Henkilötietojen käsittelyn tarkoitus", "Ändamålet med behandlingen av personuppgifter",
       "Purposes of processing personal data"},
      {"recipients", "Tietojen säännönmukaiset luovutukset ja vastaanottajat", "Regelmässiga utlämnanden och mottagare",
       "Regular disclosures and recipients"},
      {"transfers", "Tietojen siirto EU:n tai ETA:n ulkopuolelle", "Överföring utanför EU eller EES",
       "Transfers outside the EU or EEA"},
      {"sources", "Säännönmukaiset tietolähteet", "Regelmässiga uppgiftskällor", "Regular sources of data"},
      {"retention", "Tietojen säilytysajat", "Lagringstider", "How long data is kept"},
      {"security", "Rekisterin suojauksen periaatteet", "Principer för skyddet av registret",
       "How the register is protected"},
      {"rights", "Rekisteröidyn oikeudet", "Den registrerades rättigheter", "Your rights"},
      {"authority", "Valvova viranomainen", "Tillsynsmyndighet", "Supervisory authority"},
      {"heading_data", "Sinusta tallennetut tiedot", "Uppgifter som sparats om dig", "The data held about you"},
      {"data_source", "Tietojen lähde", "Uppgifternas källa", "Where the data came from"},
      {"set_on", "tallennettu", "sparad", "recorded"},
      {"feedback", "Palaute", "Respons", "Feedback"},
      {"heading_history", "Tietojen aiemmat versiot", "Tidigare versioner av uppgifterna",
       "Earlier versions of the data"},
      {"version", "Versio", "Version", "Version"},
      {"reason", "syy", "orsak", "reason"},
      {"first_version", "ensimmäinen tallennus", "första registreringen", "first recorded"},
      {"empty", "(tyhjä)", "(tom)", "(empty)"},
      {"heading_consents", "Suostumukset ja kiellot", "Samtycken och förbud", "Consents and bans"},
      {"since", "alkaen", "från och med", "since"},
      {"document_erased", "poistettu", "raderad", "erased on"},
      {"reason_erased", "syy poistettu", "skälet raderat", "reason erased"},
      {"restricted",
       "Tietojesi käsittelyä on rajoitettu {date} alkaen: pyysit poistamista, mutta lakisääteinen säilytysaika "
       "pitää tiedot. Niitä vain säilytetään, ei käytetä.",
       "Behandlingen av dina uppgifter är begränsad från och med {date}: du begärde radering, men en lagstadgad "
       "lagringstid bevarar uppgifterna. De bara lagras, de används inte.",
       "The processing of your data is restricted since {date}: you asked for erasure, but a legal retention period "
       "keeps the data. It is only kept, not used."},
      {"evidence", "todisteena asiakirja", "som bevis handling", "evidence: document"},
      {"heading_consent_events", "Suostumustapahtumat", "Samtyckeshändelser", "Consent events"},
      {"corrected", "korjattu myöhemmin", "rättad senare", "corrected later"},
      {"heading_documents", "Asiakirjat", "Handlingar", "Documents"},
      {"document", "Asiakirja", "Handling", "Document"},
      {"pages", "sivua", "sidor", "pages"},
      {"one_page", "sivu", "sida", "page"},
      {"imported", "arkistoitu", "arkiverad", "archived"},
      {"station", "skannausasema", "skanningsstation", "scanning station"},
      {"copy_file", "jäljennös", "kopia", "copy"},
      {"erased", "poistettu, ei jäljennöstä", "raderad, ingen kopia", "erased, no copy"},
      {"heading_reads", "Tietojesi ja asiakirjojesi lukukerrat", "Läsningar av dina uppgifter och handlingar",
       "Reads of your data and documents"},
      {"heading_requests", "Pyyntösi", "Dina begäranden", "Your requests"},
      {"deadline", "määräaika", "tidsfrist", "deadline"},
      {"closed", "suljettu", "avslutad", "closed"},
      {"open", "avoin", "öppen", "open"},
      {"heading_fee", "Maksu", "Avgift", "Fee"},
      {"fee_free", "Tämä tarkastus on maksuton.", "Denna granskning är avgiftsfri.", "This inspection is free of charge."},
      {"fee_charged", "Tästä tarkastuksesta laskutetaan sen aiheuttamat kustannukset.",
       "För denna granskning debiteras de kostnader den orsakar.",
       "This inspection is charged at the cost it causes."},
      {"fee_rule", "Tarkastus on maksuton kerran 12 kuukaudessa; useammin tehdystä laskutetaan kustannukset.",
       "Granskningen är avgiftsfri en gång per 12 månader; oftare debiteras kostnaderna.",
       "An inspection is free once in 12 months; more frequent ones are charged at cost."},
      // When the key holder set another number free (setting inspection_free_per_year); {n} is the number.
      {"fee_rule_count", "Maksuttomia tarkastuksia on {n} 12 kuukaudessa; useammin tehdyistä laskutetaan kustannukset.",
       "{n} granskningar per 12 månader är avgiftsfria; för fler debiteras kostnaderna.",
       "{n} inspections in 12 months are free; further ones are charged at cost."},
      {"previous", "Aiemmat tarkastukset 12 kuukauden aikana", "Tidigare granskningar under 12 månader",
       "Earlier inspections within 12 months"},
      {"none", "ei yhtään", "inga", "none"},
      {"handover", "Tämä jäljennös luovutetaan vain henkilökohtaisesti henkilöllisyytesi tarkastamisen jälkeen, ei koskaan "
                   "sähköpostilla.",
       "Denna kopia lämnas ut endast personligen efter att din identitet har kontrollerats, aldrig per e-post.",
       "This copy is handed over in person only, after your identity has been checked, never by e-mail."},
      {"page", "Sivu", "Sida", "Page"},
      // The record's fields (register/customer_fields.h).
      {"field.number", "Asiakasnumero", "Kundnummer", "Customer number"},
      {"field.name", "Nimi", "Namn", "Name"},
      {"field.business-id", "Y-tunnus", "FO-nummer", "Business ID"},
      {"field.email", "Sähköposti", "E-post", "E-mail"},
      {"field.phone", "Puhelin", "Telefon", "Phone"},
      {"field.address", "Osoite", "Adress", "Address"},
      {"field.billing-name", "Laskutuksen yhteyshenkilö", "Faktureringens kontaktperson", "Billing contact"},
      {"field.billing-address", "Laskutusosoite", "Faktureringsadress", "Billing address"},
      {"field.billing-email", "Laskutuksen sähköposti", "Faktureringens e-post", "Billing e-mail"},
      {"field.e-invoice-address", "Verkkolaskuosoite", "E-fakturaadress", "E-invoice address"},
      {"field.e-invoice-operator", "Verkkolaskuoperaattori", "E-fakturaoperatör", "E-invoice operator"},
      {"field.payer-name", "Maksaja", "Betalare", "Payer"},
      {"field.payer-business-id", "Maksajan Y-tunnus", "Betalarens FO-nummer", "Payer business ID"},
      {"field.payer-address", "Maksajan osoite", "Betalarens adress", "Payer address"},
      {"field.payer-email", "Maksajan sähköposti", "Betalarens e-post", "Payer e-mail"},
      {"field.payment-method", "Maksutapa", "Betalningssätt", "Payment method"},
      {"field.payment-notes", "Maksukäyttäytyminen", "Betalningsbeteende", "Payment behaviour"},
      {"field.source", "Tietolähde", "Uppgiftskälla", "Source"},
      // Where a record's data came from (record_sources()).
      {"source.customer", "asiakas itse", "kunden själv", "you, the customer"},
      {"source.employer", "työnantaja", "arbetsgivaren", "your employer"},
      {"source.ytj", "YTJ (yritys- ja yhteisötietojärjestelmä)", "FODS (företags- och organisationsdatasystemet)",
       "YTJ (the Finnish business information system)"},
      {"source.tieke", "TIEKE", "TIEKE", "TIEKE"},
      {"source.population-register", "Väestörekisterikeskus", "Befolkningsregistercentralen",
       "the Population Register Centre"},
      {"source.other", "muu lähde", "annan källa", "another source"},
      // Document kinds (documents/document_record.h).
      {"kind.consent-form", "suostumuslomake", "samtyckesblankett", "consent form"},
      {"kind.contract", "sopimus", "avtal", "contract"},
      {"kind.other", "muu asiakirja", "annan handling", "other document"},
      // Consent states.
      {"state.granted", "annettu", "givet", "granted"},
      {"state.refused", "kieltäydytty", "nekat", "refused"},
      {"state.withdrawn", "peruttu", "återkallat", "withdrawn"},
      {"state.retracted", "mitätöity (kirjattu virheellisesti)", "ogiltigförklarat (felaktigt registrerat)",
       "cancelled (recorded by mistake)"},
      {"state.none", "ei kirjattu", "inte registrerat", "nothing recorded"},
      {"state.in-force", "voimassa", "gäller", "in force"},
      // Request kinds.
      {"request.inspection", "tarkastus", "granskning", "inspection"},
      {"request.rectification", "oikaisu", "rättelse", "rectification"},
      {"request.erasure", "poisto", "radering", "erasure"},
      {"request.objection", "vastustaminen", "invändning", "objection"},
      // What a read of a document was for (the access log's actions).
      {"action.get", "haettu luettavaksi", "hämtad för läsning", "retrieved to be read"},
      {"action.proof", "suostumuksen todisteeksi", "som bevis på samtycke", "as proof of consent"},
      {"action.inspect", "tarkastusta varten", "för granskning", "for an inspection"},
      // What a read of the register showed of the person (the reads log's actions).
      {"action.customer show", "asiakastietosi katsottu", "dina kunduppgifter visade", "your customer record shown"},
      {"action.customer history", "asiakastietojesi historia katsottu", "historiken för dina kunduppgifter visad",
       "your customer record's history shown"},
      {"action.customer list", "asiakasluettelossa", "i en kundlista", "in a customer list"},
      {"action.customer export", "asiakasrekisterin viennissä", "i en export av kundregistret",
       "in an export of the customer register"},
      {"action.consent show", "suostumuksesi katsottu", "dina samtycken visade", "your consents shown"},
      {"action.consent history", "suostumustesi historia katsottu", "historiken för dina samtycken visad",
       "your consents' history shown"},
      {"action.consent list", "markkinointiluettelossa", "i en marknadsföringslista", "in a marketing list"},
      {"action.consent proof", "suostumuksen todisteeksi", "som bevis på samtycke", "as proof of consent"},
      {"action.documents", "asiakirjaluettelossa nimen kanssa", "i en förteckning över handlingar med namn",
       "in a list of documents with names"},
      {"action.request list", "pyyntöluettelossa", "i en förteckning över begäranden", "in a list of requests"},
      {"action.hold list", "säilytysluettelossa", "i en förteckning över lagringar", "in a list of retention holds"},
      {"action.document history", "asiakirjan historia katsottu", "en handlings historik visad",
       "a document's history shown"},
  };
  return table;
}

}  // namespace

std::string inspection_label(std::string_view lang, std::string_view key) {
  if (const Translation* t = find_translation(labels(), key)) return in_language(lang, t->fi, t->sv, t->en);
  const auto dot = key.find('.');
  return std::string(dot == std::string_view::npos ? key : key.substr(dot + 1));
}

std::vector<std::string> inspection_label_keys() { return translation_keys(labels()); }

}  // namespace kaappi
