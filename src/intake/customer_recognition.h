// customer_recognition.h — which customer a scan names, read from the PDF
// helper's summary (its text layer and metadata). Ingest files a scan by it
// when no customer was given; the coming form reader (QR codes) is the
// stronger rule in front of it.
#pragma once

#include <string>

#include "store/session.h"

namespace kaappi {

// The customer number a scan names after a label ("Asiakasnumero: 1001",
// "Kundnummer", "Customer number", ...), among those that exist; empty when
// none or several do. Never guesses from an unlabelled number.
std::string customer_named_in(Session& session, const std::string& pdf_json);

}  // namespace kaappi
