// inspection_json.h — data.json of an inspection copy (kaappi inspect), the
// schema "kaappi-inspection-1" documented in docs/INSPECTION.md: everything
// the register holds about one person, in the JSON forms the other commands
// use (customer_json, consent_json, document_json, request_json), with the
// register's texts and the fee decision. The report (inspection_report_pdf.h)
// is drawn from this same JSON, so the two never disagree.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "consent/consents.h"
#include "documents/documents.h"
#include "export/register_texts.h"
#include "rights/inspection.h"
#include "rights/personal_reads.h"

namespace kaappi {

inline constexpr const char* k_inspection_schema = "kaappi-inspection-1";

// One of the person's documents as the copy lists it.
struct InspectedDocument {
  DocumentRow row;
  std::optional<DocumentInfo> info;  // none when erased
  std::string file;                  // the copy's file name ("" when erased)
  std::string sha256;                // of the copy
};

struct InspectionData {
  std::string lang;
  std::string generated;  // format_time
  std::string generated_by;
  std::string archive_id;  // hex
  Request request;
  FeeDecision fee;
  std::vector<std::string> earlier;  // every earlier inspection's date
  Customer customer;
  std::vector<CustomerVersion> history;
  std::optional<std::int64_t> restricted_at;  // register/customer_restriction.h
  std::string as_of;  // the consents' date (today)
  std::vector<ConsentEvent> consent_events;
  std::vector<ConsentState> consent_states;  // at as_of (consents.h customer_consent_states)
  std::vector<InspectedDocument> documents;
  // The reads of their documents and of their data, in time order
  // (rights/personal_reads.h); who read is never shown.
  std::vector<AccessLogEntry> reads;
  std::vector<Request> requests;
  const RegisterTexts* texts = nullptr;
};

nlohmann::json inspection_json(const InspectionData& data);

}  // namespace kaappi
