// consent_proof.h — kaappi consent proof: an auditor's package showing what
// proves a customer's current consent state for one purpose.
//
// Into a new folder (mode 0700) go the signed documents cited by the
// purpose's events and by the events of every ban that can exclude it,
// decrypted as document-ID.pdf (0600, each access recorded in the access log
// with the reason, action "proof"), and proof.json: the customer, the
// purpose's state and the bans' states, every event (corrected ones marked),
// and each document with its file's SHA-256 — states, events and documents
// in the same JSON form as --json gives them (export/). A cited document
// that can prove nothing now — erased since (kaappi erase), or moved to
// another customer since (kaappi assign) — is not in the folder: proof.json
// lists it with why and the day, and the result names it. If anything
// fails, what was written is removed again.
#pragma once

#include <string>
#include <vector>

#include "consent/consents.h"

namespace kaappi {

struct ProofOptions {
  std::string purpose;
  std::string directory;
  std::string reason;
  std::string as_of;  // YYYY-MM-DD
};

struct ProofResult {
  std::string state;  // of the purpose at as_of ("none" when nothing recorded)
  std::vector<std::string> excluded_by;  // the bans in force at as_of that forbid contact despite the state
  std::vector<std::int64_t> documents;  // decrypted into the folder
  struct LeftOut {
    std::int64_t id = 0;
    std::string why;  // "erased" or "moved" (to another customer; never said to whom)
    std::string on;   // YYYY-MM-DD
  };
  std::vector<LeftOut> left_out;  // cited, but not in the folder
  std::string summary_path;
};

// The checks of a proof that need no archive (purpose, reason, a new or
// empty folder); throws. Front ends call it before asking for the passphrase.
void check_proof_request(const ProofOptions& options);
ProofResult write_consent_proof(Session& session, const Customer& customer, const ProofOptions& options);

}  // namespace kaappi
