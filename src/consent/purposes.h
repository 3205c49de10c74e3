// purposes.h — what a customer can consent to, and the bans that can forbid
// contact.
//
// A purpose (or ban) has a stable id, labels in Finnish, Swedish and English,
// and says whether it is a ban and whether bans exclude it. For bans,
// "granted" means the ban is in force and "withdrawn" that it was lifted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kaappi {

struct Purpose {
  const char* id;
  const char* label_fi;
  const char* label_sv;
  const char* label_en;
  bool is_ban;
  // Every ban in force forbids contact for it: e-mail, SMS and other
  // electronic marketing are all direct marketing, direct advertising and a
  // means of distance selling.
  bool excluded_by_bans;
};

// Every purpose, then every ban. THE ORDER IS PART OF THE ARCHIVE FORMAT:
// a consent event stores its purpose as an index into this list
// (docs/FORMAT.md, consent_events.event). Never reorder or remove an entry;
// a new purpose is appended.
const std::vector<Purpose>& purposes();
std::vector<std::string> purpose_ids();
// Index into purposes(), or -1 for an unknown id.
int purpose_index(std::string_view id);
// Throws ErrorKind::usage listing the valid ids.
const Purpose& find_purpose(const std::string& id);
// The bans that, in force, forbid contact for this purpose (none for a
// purpose that bans do not exclude).
std::vector<const Purpose*> bans_excluding(const Purpose& purpose);

}  // namespace kaappi
