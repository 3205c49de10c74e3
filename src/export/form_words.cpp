// form_words.cpp — see form_words.h.
#include "export/form_words.h"

#include "base/error.h"

namespace kaappi {
namespace {

struct Word {
  const char* key;
  const char* fi;
  const char* sv;
  const char* en;
};

const std::vector<Word>& words() {
  static const std::vector<Word> table{
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

const std::vector<std::string>& form_languages() {
  static const std::vector<std::string> list{"fi", "sv", "en"};
  return list;
}

std::string form_word(std::string_view lang, std::string_view key) {
  for (const Word& w : words()) {
    if (key != w.key) continue;
    if (lang == "sv") return w.sv;
    if (lang == "en") return w.en;
    return w.fi;
  }
  fail(ErrorKind::internal, "no form word '" + std::string(key) + "'");
}

std::vector<std::string> form_words_keys() {
  std::vector<std::string> out;
  for (const Word& w : words()) out.emplace_back(w.key);
  return out;
}

}  // namespace kaappi
