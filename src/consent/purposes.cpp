// purposes.cpp — see purposes.h.
#include "consent/purposes.h"

#include "base/error.h"
#include "base/word_list.h"

namespace kaappi {

const std::vector<Purpose>& purposes() {
  // The order is the on-disk purpose index (purposes.h): append only.
  static const std::vector<Purpose> list = {
      {"email-marketing", "Sähköpostimarkkinointi", "E-postmarknadsföring", "E-mail marketing", false, true},
      {"sms-marketing", "Tekstiviestimarkkinointi", "SMS-marknadsföring", "SMS marketing", false, true},
      {"electronic-marketing", "Muu sähköinen suoramarkkinointi", "Annan elektronisk direktmarknadsföring",
       "Other electronic direct marketing", false, true},
      {"personal-data", "Henkilötietojen käyttö", "Användning av personuppgifter", "Use of personal data", false,
       false},
      {"research", "Tieteellinen tutkimus", "Vetenskaplig forskning", "Scientific research", false, false},
      {"development-contact", "Ei-tunnistavien tietojen keruu ja yhteydenotot palvelun kehittämiseksi",
       "Insamling av icke-identifierande uppgifter och kontakt för att utveckla tjänsten",
       "Non-identifying data collection and contact to develop the service", false, false},
      {"ban-direct-advertising", "Suoramainontakielto", "Förbud mot direktreklam", "Ban on direct advertising", true,
       false},
      {"ban-distance-selling", "Etämyyntikielto", "Förbud mot distansförsäljning", "Ban on distance selling", true,
       false},
      {"ban-direct-marketing", "Muun suoramarkkinoinnin kielto", "Förbud mot annan direktmarknadsföring",
       "Ban on other direct marketing", true, false},
  };
  return list;
}

std::vector<std::string> purpose_ids() {
  std::vector<std::string> out;
  for (const auto& p : purposes()) out.emplace_back(p.id);
  return out;
}

int purpose_index(std::string_view id) {
  for (size_t i = 0; i < purposes().size(); ++i)
    if (id == purposes()[i].id) return static_cast<int>(i);
  return -1;
}

const Purpose& find_purpose(const std::string& id) {
  int i = purpose_index(id);
  if (i >= 0) return purposes()[static_cast<size_t>(i)];
  fail(ErrorKind::usage, "unknown purpose '" + id + "'; use one of: " + comma_list(purpose_ids()));
}

std::vector<const Purpose*> bans_excluding(const Purpose& purpose) {
  std::vector<const Purpose*> out;
  if (!purpose.excluded_by_bans) return out;
  for (const auto& p : purposes())
    if (p.is_ban) out.push_back(&p);
  return out;
}

}  // namespace kaappi
