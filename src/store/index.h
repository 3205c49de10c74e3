// index.h — the archive index in SQLite. All SQL of kaappi lives in index.cpp.
//
// The index holds rows (index_rows.h), each signed with the archive's Ed25519
// key and chained into one signed head, so keyless verification can prove
// that no row was edited, deleted or planted. Writes happen inside a Writer
// (BEGIN IMMEDIATE ... COMMIT) which assigns sequence numbers, signs rows and
// re-signs the head in the same transaction. The database runs in WAL mode,
// synchronous=FULL, with SQLITE_DBCONFIG_DEFENSIVE and trusted_schema=OFF; its
// schema is compared with the expected one at every open, and a changed
// schema refuses writes. One Index per thread.
#pragma once

#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "store/index_rows.h"
#include "base/secret.h"

struct sqlite3;

namespace kaappi {

enum class SchemaPolicy { enforce, report };

class Index {
 public:
  // Creates a new index file with the archive row and an initial head.
  static void create(const std::string& path, ArchiveRow& row, const SecretBuffer& sign_sk);

  Index(const std::string& path, SchemaPolicy policy);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Differences from the expected schema (empty when intact).
  const std::vector<std::string>& schema_problems() const { return m_schema_problems; }
  std::int64_t schema_version() const;

  class Writer {
   public:
    Writer(Index& index, const SecretBuffer& sign_sk);
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    void commit();

    void insert_customer(CustomerRow& customer, CustomerVersionRow& version);
    void insert_customer_version(CustomerVersionRow& version);
    void insert_document(DocumentRow& row);
    void insert_consent_event(ConsentEventRow& row);
    void insert_access(AccessRow& row);
    void insert_station(StationRow& row);
    void insert_assignment(AssignmentRow& row);
    void insert_station_revocation(StationRevocationRow& row);
    std::int64_t next_id(const char* table);

   private:
    void sign(SignedFields& row, const std::function<Bytes()>& canonical);
    Index& m_index;
    const SecretBuffer& m_sign_sk;
    HeadRow m_head;
    bool m_done = false;
  };

  ArchiveRow archive() const;
  HeadRow head() const;

  std::optional<CustomerRow> customer_by_tag(const Bytes& number_tag) const;
  std::optional<CustomerRow> customer(std::int64_t id) const;
  std::vector<CustomerRow> customers() const;
  std::optional<CustomerVersionRow> latest_customer_version(std::int64_t customer_id) const;
  // All versions (of one customer), in id order.
  std::vector<CustomerVersionRow> customer_versions(std::optional<std::int64_t> customer_id = {}) const;
  // The latest version of every customer, by customer id, streamed.
  void each_latest_customer_version(const std::function<void(const CustomerVersionRow&)>& visit,
                                    std::int64_t first_customer = std::numeric_limits<std::int64_t>::min(),
                                    std::int64_t last_customer = std::numeric_limits<std::int64_t>::max()) const;
  struct SearchRow {
    std::int64_t customer_id = 0;
    Bytes uid, search;
  };
  // The search field of every customer's latest version, streamed.
  void each_customer_search(const std::function<void(const SearchRow&)>& visit) const;

  std::optional<DocumentRow> document(std::int64_t id) const;
  std::optional<DocumentRow> document_by_content(std::int64_t customer_id, const Bytes& content_tag) const;
  std::optional<DocumentRow> document_by_uid(const Bytes& uid) const;
  // All documents, or those of one customer (0: the unassigned ones),
  // counting later assignments.
  std::vector<DocumentRow> documents(std::optional<std::int64_t> customer_id = {}) const;
  std::vector<AssignmentRow> assignments() const;

  std::vector<ConsentEventRow> consent_events(std::optional<std::int64_t> customer_id = {}) const;

  // Streaming whole tables (verify): the rows with ids in [first, last], in
  // id order, one at a time.
  enum class Table { customers, customer_versions, documents, consent_events, access_log };
  std::pair<std::int64_t, std::int64_t> id_range(Table table) const;  // (1, 0) when empty
  void each_customer(const std::function<void(const CustomerRow&)>& visit, std::int64_t first,
                     std::int64_t last) const;
  void each_customer_version(const std::function<void(const CustomerVersionRow&)>& visit, std::int64_t first,
                             std::int64_t last) const;
  void each_consent_event(const std::function<void(const ConsentEventRow&)>& visit, std::int64_t first,
                          std::int64_t last) const;
  void each_access_row(const std::function<void(const AccessRow&)>& visit, std::int64_t first,
                       std::int64_t last) const;
  // The sealed payload of the events with ids in [first_id, last_id], in
  // recording order, streamed (signatures are not read: verify checks them).
  void each_consent_payload(
      const std::function<void(std::int64_t id, std::int64_t customer_id, const Bytes& uid, const Bytes& event)>& visit,
      std::int64_t first_id, std::int64_t last_id) const;
  std::vector<AccessRow> access_rows() const;
  std::vector<StationRow> stations() const;
  std::vector<StationRevocationRow> station_revocations() const;

  // Intents of interrupted writes (not signed; see docs/FORMAT.md "Recovery").
  // Each call is one transaction of its own, or part of an open Writer's.
  void add_pending(const std::vector<Bytes>& uids, std::int64_t now);
  void remove_pending(const std::vector<Bytes>& uids);
  std::vector<Bytes> pending() const;

 private:
  friend class Writer;
  void exec(const char* sql);
  sqlite3* m_db = nullptr;
  std::string m_path;
  std::vector<std::string> m_schema_problems;
  Bytes m_archive_id;
};

}  // namespace kaappi
