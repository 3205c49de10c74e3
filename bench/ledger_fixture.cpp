// ledger_fixture.cpp — fills an archive with many customers and consent
// events for the register benchmark (bench/ledger.sh). It goes through the
// library, so every row is sealed and signed exactly as kaappi writes it;
// only the per-event checks of `consent set` are skipped. Customers are
// added in changes of 10,000; events in changes of EVENTS_PER_CHANGE
// (default 50,000; 1 makes one signed change per event, as one `consent
// set` command each would), each for a random customer of the archive.
//
// Usage: ledger_fixture CUSTOMERS EVENTS [EVENTS_PER_CHANGE]   (archive, key
// and passphrase from KAAPPI_ARCHIVE, KAAPPI_KEY, KAAPPI_PASSPHRASE_FILE)
#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "store/head_history.h"
#include "store/session.h"
#include "format/blob_format.h"
#include "consent/consents.h"
#include "register/customers.h"

using namespace kaappi;

namespace {

const char* const k_places[] = {"Äänekosken", "Hämeenlinnan", "Jyväskylän", "Porvoon", "Åbo", "Vaasan", "Mäntän",
                                "Oulun", "Kuopion", "Närpes", "Pietarsaaren", "Ylöjärven", "Säkylän", "Östersundom"};
const char* const k_trades[] = {"Kone", "Puu", "Rakennus", "Kahvila", "Sähkö", "Öljy", "Tilitoimisto", "Kukka",
                                "Leipomo", "Maalaamo", "Båtvarv", "Trädgård", "Kuljetus", "Lääkäriasema"};
const char* const k_forms[] = {"Oy", "Ab", "Ky", "Tmi", "Oy Ab", "Kb"};

std::string date_of(std::mt19937_64& rng) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", 2019 + static_cast<int>(rng() % 8), 1 + static_cast<int>(rng() % 12),
                1 + static_cast<int>(rng() % 28));
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4 || sodium_init() < 0) {
    std::fprintf(stderr, "usage: ledger_fixture CUSTOMERS EVENTS [EVENTS_PER_CHANGE]\n");
    return 2;
  }
  const long customers = std::atol(argv[1]);
  const long events = std::atol(argv[2]);
  const long per_change = argc == 4 ? std::atol(argv[3]) : 50000;
  if (per_change < 1) {
    std::fprintf(stderr, "ledger_fixture: EVENTS_PER_CHANGE must be at least 1\n");
    return 2;
  }
  try {
    UnlockOptions unlock;
    unlock.key_path = std::getenv("KAAPPI_KEY");
    if (const char* file = std::getenv("KAAPPI_PASSPHRASE_FILE")) unlock.passphrase.file = file;
    Session session(std::getenv("KAAPPI_ARCHIVE"), Access::write, unlock);
    std::mt19937_64 rng(42);
    const long first_number = static_cast<long>(session.index().customers().size());
    for (long done = 0; done < customers;) {
      std::vector<CustomerRecord> batch;
      for (long i = 0; i < 10000 && done < customers; ++i, ++done) {
        CustomerRecord r;
        r.set("number", "C" + std::to_string(100000 + first_number + done));
        r.set("name", std::string(k_places[rng() % std::size(k_places)]) + " " + k_trades[rng() % std::size(k_trades)] +
                          " " + std::to_string(done) + " " + k_forms[rng() % std::size(k_forms)]);
        r.set("email", "asiakas" + std::to_string(done) + "@example.fi");
        r.set("phone", "+358 40 " + std::to_string(1000000 + done));
        r.set("address", "Kauppakatu " + std::to_string(done % 90 + 1) + ", 00100 Helsinki");
        batch.push_back(std::move(r));
      }
      add_customers(session, batch);
      std::fprintf(stderr, "\rcustomers %ld", done);
    }
    std::fprintf(stderr, "\n");
    const auto& all = purposes();
    static const char* const states[] = {"granted", "granted", "refused", "withdrawn"};
    static const char* const sources[] = {"web-form", "email", "phone"};
    session.hold_customer_keys();
    // Customer ids are 1, 2, 3, ... in the order they were added.
    const long all_customers = static_cast<long>(session.index().customers().size());
    if (events > 0 && all_customers == 0) {
      std::fprintf(stderr, "ledger_fixture: events need customers\n");
      return 2;
    }
    for (long done = 0; done < events;) {
      Index::Writer writer(session.index(), session.secrets(), session.now());
      for (long i = 0; i < per_change && done < events; ++i, ++done) {
        ConsentEvent e;
        const Purpose& p = all[rng() % all.size()];
        e.purpose = p.id;
        // bans are rarer than consents
        if (p.is_ban && rng() % 4 != 0) e.purpose = all[rng() % 6].id;
        e.state = states[rng() % 4];
        e.effective = date_of(rng);
        e.source = sources[rng() % 3];
        e.recorded_by = "bench";
        if (rng() % 3 == 0) e.note = "Asiakas soitti ja vahvisti";
        ConsentEventRow row;
        row.uid = random_bytes(k_uid_size);
        row.customer_id = 1 + static_cast<long>(rng() % static_cast<unsigned long>(all_customers));
        row.recorded_at = 1700000000 + done;
        row.event = session.keys().customer(row.customer_id).seal("consent_events", "event", row.uid, encode_consent_event(e));
        writer.insert_consent_event(row);
      }
      writer.commit();
      if (per_change > 1 || done % 10000 == 0) std::fprintf(stderr, "\revents %ld", done);
    }
    std::fprintf(stderr, "\n");
    HeadHistory(session.archive(), session.archive().public_key()).advance();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ledger_fixture: %s\n", e.what());
    return 1;
  }
  return 0;
}
