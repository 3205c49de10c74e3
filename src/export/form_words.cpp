// form_words.cpp — see form_words.h.
#include "export/form_words.h"

#include "base/error.h"
#include "base/languages.h"

namespace kaappi {
namespace {

const std::vector<Translation>& words() {
  static const std::vector<Translation> table{
      {"title", "Asiakastietolomake", "Kunduppgiftsblankett", "Customer information form"},
      {"customer_number", "Asiakasnumero", "Kundnummer", "Customer number"},
      {"name", "Nimi", "Namn", "Name"},
      {"consents", "Suostumukset", "Samtycken", "Consents"},
      {"consents_help", "Rastita ruutu, jos annat suostumuksen. Tyhjä ruutu: ei suostumusta.",
       "Kryssa i rutan om du ger ditt samtycke. Tom ruta: inget samtycke.",
       "Tick the box to give your consent. An empty box: no consent."},
      {"bans", "Suoramarkkinointikiellot", "Förbud mot direktmarknadsföring", "Bans on direct marketing"},
      {"bans_help", "Rastita ruutu, jos kiellät sen.", "Kryssa i rutan om du förbjuder det.",
       "Tick the box to ban it."},
      {"correction", "Jos rastitit väärän ruudun, täytä se kokonaan: tarkistamme asian kanssasi.",
       "Om du kryssade fel ruta, fyll den helt: vi kontrollerar saken med dig.",
       "If you ticked the wrong box, fill it in completely: we will check it with you."},
      {"date", "Päiväys", "Datum", "Date"},
      {"signature", "Allekirjoitus", "Underskrift", "Signature"},
      {"name_in_print", "Nimenselvennys", "Namnförtydligande", "Name in block letters"},
      {"notice_title", "Tietosuojaseloste lyhyesti", "Dataskyddsbeskrivning i korthet",
       "Privacy notice in brief"},
      {"notice_see", "Tietosuojaseloste lyhyesti: sivu 2.", "Dataskyddsbeskrivning i korthet: sida 2.",
       "Privacy notice in brief: page 2."},
      {"page", "sivu", "sida", "page"},
      {"form", "lomake", "blankett", "form"},
      {"keep", "Tämä sivu jää sinulle.", "Denna sida får du behålla.", "This page is yours to keep."},
  };
  return table;
}

}  // namespace

std::string form_word(std::string_view lang, std::string_view key) {
  if (const Translation* t = find_translation(words(), key)) return in_language(lang, t->fi, t->sv, t->en);
  fail(ErrorKind::internal, "no form word '" + std::string(key) + "'");
}

std::vector<std::string> form_words_keys() { return translation_keys(words()); }

}  // namespace kaappi
