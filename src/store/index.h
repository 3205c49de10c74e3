// index.h — the archive index in SQLite. All SQL of kaappi lives in store/:
// index.cpp (opening and creating), index_queries.cpp (reading),
// index_writer.cpp (signed writes), schema.cpp (layouts and upgrades), with
// the signed tables described once in signed_tables.h.
//
// The index holds rows (index_rows.h); each write transaction adds rows and
// one transaction row (transactions.h) whose Ed25519 signature covers the
// hashes of its rows and every transaction before it, so keyless
// verification can prove that no row was edited, deleted or planted. Writes
// happen inside a Writer (BEGIN IMMEDIATE ... COMMIT), which assigns ids and
// sequence numbers, hashes the rows it inserts and signs the transaction. The database runs in WAL mode,
// synchronous=FULL, with SQLITE_DBCONFIG_DEFENSIVE and trusted_schema=OFF; its
// layout is identified at every open (schema.h): an altered schema refuses
// writes, an older layout refuses to open until it is upgraded
// (ErrorKind::needs_upgrade). One Index per thread.
#pragma once

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <optional>
#include <string>
#include <vector>

#include "base/secret.h"
#include "format/public_key.h"
#include "store/erasure.h"
#include "store/index_rows.h"
#include "store/read_check.h"
#include "store/schema.h"
#include "store/signed_tables.h"
#include "store/stored_values.h"
#include "store/transactions.h"

namespace kaappi {

enum class SchemaPolicy { enforce, report };

class Index {
 public:
  // Creates a new index file with the archive row as transaction 1.
  static void create(const std::string& path, ArchiveRow& row, const SecretKeys& keys, std::int64_t now);

  // Throws ErrorKind::needs_upgrade for an older layout with a migration
  // path; SchemaPolicy::enforce also refuses an altered or pre-release one.
  Index(const std::string& path, SchemaPolicy policy, const SchemaHistory& history = schema_history());
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Differences from the expected schema (empty when intact).
  const std::vector<std::string>& schema_problems() const { return m_schema_problems; }
  // Throws ErrorKind::corrupt (saying nothing was changed) when a write
  // would be refused: the schema was altered outside kaappi, or the head
  // does not hold (refuse_write_unless_head_holds). A command that changes
  // files before its first write (ingest, setting envelopes aside) checks it
  // first, through Session::check_writable().
  void check_writable() const;

  // Upgrades the index at `path` to the current layout in one transaction
  // (nothing to do when it is current); the context's key may be null when
  // no step needs it. Nothing else may have it open (Archive::upgrade locks).
  static UpgradeReport upgrade(const std::string& path, const UpgradeContext& context,
                               const SchemaHistory& history = schema_history());
  // The archive's public key as the archive row of the index at `path`
  // names it, whatever its layout (kaappi upgrade, before the key is asked for).
  static ArchivePublicKey stored_public_key(const std::string& path);
  // The layout check of the index at `path` (kaappi upgrade: whether it needs the key).
  static SchemaCheck check(const std::string& path, const SchemaHistory& history = schema_history());

  class Writer {
   public:
    // `at`: the transaction's time.
    Writer(Index& index, const SecretKeys& keys, std::int64_t at);
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    // Signs the transaction (when it added rows) and commits. Whether the
    // COMMIT itself went through is committed(): a failure after it (fault
    // point index.committed) throws with committed() true.
    void commit();
    bool committed() const { return m_done; }
    // From now on a row of any table but the reads and access logs, and an
    // erasure, throws ErrorKind::internal (a session of Access::log).
    void only_log_rows() { m_only_log_rows = true; }

    void insert_customer(CustomerRow& customer);
    void insert_customer_key(CustomerKeyRow& key);
    void insert_customer_version(CustomerVersionRow& version);
    void insert_document(DocumentRow& row);
    void insert_consent_event(ConsentEventRow& row);
    void insert_access(AccessRow& row);
    void insert_station(StationRow& row);
    void insert_assignment(AssignmentRow& row);
    void insert_kind_change(DocumentKindRow& row);
    void insert_station_revocation(StationRevocationRow& row);
    void insert_restore(RestoreRow& row);
    void insert_request(RequestRow& row);
    void insert_request_event(RequestEventRow& row);
    void insert_hold_rule(HoldRuleRow& row);
    void insert_hold(HoldRow& row);
    void insert_restriction(RestrictionRow& row);
    void insert_read(ReadRow& row);
    void insert_form_instance(FormInstanceRow& row);
    // Sets each target's value NULL and inserts `row` (uid and reason set
    // by the caller) listing them with their hashes (store/erasure.h).
    // Throws ErrorKind::rejected for a target that is not an erasable
    // column of an existing row, a value already erased or named twice.
    void erase(const std::vector<ErasureTarget>& targets, ErasureRow& row);
    std::int64_t next_id(const char* table);

   private:
    template <typename Row>
    void insert(Row& row);
    Index& m_index;
    const SecretKeys& m_keys;
    TransactionRow m_head;  // the transaction this one follows
    std::int64_t m_at;
    std::int64_t m_last_seq = 0;
    RowsHash m_rows;
    Bytes m_hashes;  // the row hash list (row_hash_lists.h)
    std::map<std::string, std::int64_t> m_next_ids;
    std::map<std::string, std::unique_ptr<Statement>> m_inserts;
    bool m_done = false;
    bool m_only_log_rows = false;
  };

  // From now on, signed rows read by the queries below (not the streaming
  // each_* ones, which list and verify) are checked against the
  // transactions that signed them (read_check.h): what a command that
  // writes does, so that it never decides on a row altered outside kaappi.
  // `sign_pk`: the archive's signing key.
  void check_reads(const Bytes& sign_pk);
  // No checked reads while it lives (verify, which reports every row itself).
  class UncheckedReads {
   public:
    explicit UncheckedReads(Index& index) : m_index(index), m_held(std::move(index.m_read_check)) {}
    ~UncheckedReads() { m_index.m_read_check = std::move(m_held); }
    UncheckedReads(const UncheckedReads&) = delete;
    UncheckedReads& operator=(const UncheckedReads&) = delete;

   private:
    Index& m_index;
    std::unique_ptr<ReadCheck> m_held;
  };

  ArchiveRow archive() const;
  // The archive's head: its last transaction (ErrorKind::corrupt when it has none).
  TransactionRow head() const;
  std::optional<TransactionRow> transaction(std::int64_t tx) const;
  // head_is_sound (transactions.h) of this index's head.
  bool head_is_sound(const TransactionRow& head, const Bytes& sign_pk) const;
  // Refuses a write (ErrorKind::corrupt, "does not match its signed head")
  // unless `head` holds: its digest and signature follow (under the archive
  // row's key), and the signed rows end exactly at its last seq (none beyond
  // it, none deleted from its end). The one check of it: every Writer makes
  // it inside its transaction, and every command that writes before it
  // changes anything (Session, recover_interrupted_imports).
  void refuse_write_unless_head_holds(const TransactionRow& head) const;
  // Refuses (ErrorKind::corrupt, nothing changed) unless every signed row
  // the head counts is there: one per sequence number up to the head's last.
  // A row deleted outside kaappi hides from every lookup (a hold from an
  // erasure); a decision that cannot be undone (erase) checks this first.
  void refuse_unless_rows_whole() const;
  // The transactions with tx >= `from`, in order, streamed.
  void each_transaction(std::int64_t from, const std::function<void(const TransactionRow&)>& visit) const;
  // The transaction that added the row with sequence number `seq` (0: none).
  std::int64_t transaction_of_seq(std::int64_t seq) const;
  // H(row hashes) of the rows with seq in [first, last] (transactions.h).
  // The erasure rows are read once for all calls until the next write.
  Sha256Digest hash_rows(std::int64_t first, std::int64_t last) const;

  // The value a signed table's erasable column holds in one row, by the
  // table's and column's codes (store/erasure.h): nullopt when the table has
  // no such row (or no such erasable column), a null SqlValue when erased.
  // Names its table and column (as "table.column") in `name`.
  std::optional<SqlValue> erasable_value(std::uint8_t table, std::uint8_t column, std::int64_t row_id,
                                         std::string& name) const;

  std::optional<CustomerRow> customer_by_tag(const Bytes& number_tag) const;
  std::optional<CustomerRow> customer(std::int64_t id) const;
  std::vector<CustomerRow> customers() const;
  // A customer's key row (nullopt: none).
  std::optional<CustomerKeyRow> customer_key(std::int64_t customer_id) const;
  // Every customer's key row (with ids in [first_id, last_id]) with the
  // customer's uid, streamed.
  void each_customer_key(const std::function<void(const CustomerKeyRow&, const Bytes& customer_uid)>& visit,
                         std::int64_t first_id = std::numeric_limits<std::int64_t>::min(),
                         std::int64_t last_id = std::numeric_limits<std::int64_t>::max()) const;
  // Customers that have no key row (verify: each has exactly one).
  std::vector<std::int64_t> customers_without_key() const;
  std::optional<CustomerVersionRow> latest_customer_version(std::int64_t customer_id) const;
  // All versions (of one customer), in id order.
  std::vector<CustomerVersionRow> customer_versions(std::optional<std::int64_t> customer_id = {}) const;
  // The latest version of every customer, by customer id, with the
  // customer's created_at, streamed.
  void each_latest_customer_version(const std::function<void(const CustomerVersionRow&, std::int64_t created_at)>& visit,
                                    std::int64_t first_customer = std::numeric_limits<std::int64_t>::min(),
                                    std::int64_t last_customer = std::numeric_limits<std::int64_t>::max()) const;
  // The same for the customers `ids` only, one lookup each, in the order
  // given (an id without a customer is passed over).
  void each_latest_customer_version_of(std::span<const std::int64_t> ids,
                                       const std::function<void(const CustomerVersionRow&, std::int64_t created_at)>& visit) const;
  struct SearchRow {
    std::int64_t customer_id = 0;
    Bytes uid, search;
  };
  // The search field of every customer's latest version, streamed.
  void each_customer_search(const std::function<void(const SearchRow&)>& visit) const;

  std::optional<DocumentRow> document(std::int64_t id) const;
  // The documents of the customer (0: unassigned) whose current duplicate
  // tag is `content_tag`, in id order (documents/document_copies.h decides on them).
  std::vector<DocumentRow> documents_by_content(std::int64_t customer_id, const Bytes& content_tag) const;
  std::optional<DocumentRow> document_by_uid(const Bytes& uid) const;
  // The documents whose blob is byte for byte `blob_hash` under `blob_uid`
  // (an envelope taken in before: its uid and its very blob), in id order.
  std::vector<DocumentRow> documents_by_blob(const Bytes& blob_uid, const Bytes& blob_hash) const;
  // All documents, or those of one customer now (0: the unassigned ones),
  // counting their latest assignments and kind changes.
  std::vector<DocumentRow> documents(std::optional<std::int64_t> customer_id = {}) const;
  // Every assignment (and move), or those of one document, in id order.
  std::vector<AssignmentRow> assignments(std::optional<std::int64_t> document_id = {}) const;
  // Every change of a document's kind, or those of one document, in id order.
  std::vector<DocumentKindRow> kind_changes(std::optional<std::int64_t> document_id = {}) const;

  std::vector<ConsentEventRow> consent_events(std::optional<std::int64_t> customer_id = {}) const;

  // Streaming a whole signed table (verify): the ids its rows span, (1, 0)
  // when empty, and its rows with ids in [first, last], in id order, one at
  // a time.
  template <typename Row>
  std::pair<std::int64_t, std::int64_t> id_range() const {
    return id_range(table_of<Row>().name());
  }
  template <typename Row>
  void each(const std::function<void(const Row&)>& visit, std::int64_t first, std::int64_t last) const;
  // The same, each row as stored (its values with their storage class, seq
  // last) and as read.
  template <typename Row>
  void each_stored(const std::function<void(std::span<const SqlValue>, const Row&)>& visit, std::int64_t first,
                   std::int64_t last) const;
  // The rows with these ids (each looked up by one statement, run again for
  // each), in the order given; an id no row has is left out: a few rows
  // among many (verify --full: the events that corrections name).
  template <typename Row>
  void each_with_id(const std::vector<std::int64_t>& ids, const std::function<void(const Row&)>& visit) const;
  // The sealed payload of the events with ids in [first_id, last_id], in
  // recording order, streamed (signatures are not read: verify checks them);
  // uid and event are valid during the call only.
  void each_consent_payload(
      const std::function<void(std::int64_t id, std::int64_t customer_id, ByteView uid, ByteView event)>& visit,
      std::int64_t first_id, std::int64_t last_id) const;
  // The row of `Row`'s table with sequence number `seq` (the first by id,
  // should an altered index hold more), if any: how verify names a row.
  template <typename Row>
  std::optional<Row> row_by_seq(std::int64_t seq) const;
  // Rows holding a value their signature cannot vouch for (stored_values.h),
  // each with its faults, in id order.
  template <typename Row>
  void each_misstored(const std::function<void(const Row&, const std::vector<StoredValueFault>&)>& visit) const;
  // The same for the transactions and the number of archive rows: one
  // sentence per fault.
  std::vector<std::string> head_and_archive_faults() const;
  // What the row hash lists kept beside the transactions show (row_hash_lists.h).
  std::vector<std::string> row_hash_list_faults() const;
  // What SQLite's integrity check finds (an index that does not match its
  // table, a damaged page), at most 20 lines; empty when sound. Reads the
  // whole file. Lookups through an index also refuse (ErrorKind::corrupt) a
  // row that does not match what was looked up.
  std::vector<std::string> structure_problems() const;
  // The number of signed rows in all tables, and the highest seq among them.
  std::int64_t signed_rows() const;
  std::int64_t last_signed_seq() const;
  std::vector<AccessRow> access_rows() const;
  std::vector<StationRow> stations() const;
  // Whether signed table `table` (a name of signed_tables.h) has a row with this id.
  bool has_row(const std::string& table, std::int64_t id) const;
  std::vector<StationRevocationRow> station_revocations() const;
  // Data subjects' requests (of one customer), in id order; one by id; the
  // events of all requests, in id order.
  std::vector<RequestRow> requests(std::optional<std::int64_t> customer_id = {}) const;
  std::optional<RequestRow> request(std::int64_t id) const;
  std::vector<RequestEventRow> request_events() const;
  // Retention (rights/retention.h): every rule, hold and restriction row, in id order.
  std::vector<HoldRuleRow> hold_rules() const;
  std::vector<HoldRow> holds() const;
  std::vector<RestrictionRow> restrictions() const;
  // The reads of personal data (rights/personal_reads.h), in id order.
  std::vector<ReadRow> reads() const;
  // Printed forms (forms/form_instances.h): the one whose QR codes carry
  // `instance`; every one, in id order.
  std::optional<FormInstanceRow> form_instance(const Bytes& instance) const;
  std::vector<FormInstanceRow> form_instances() const;

  // Empties the WAL into the database file and truncates it (after an
  // erasure). Throws ErrorKind::io when a reader kept it from finishing.
  void checkpoint_truncate();
  // A consistent copy of the index as committed, written to the new file
  // `path` (SQLite's VACUUM INTO: live pages only): a backup's index.
  void copy_into(const std::string& path) const;

  // Intents of interrupted writes (not signed; see docs/FORMAT.md "Recovery").
  // Each call is one transaction of its own, or part of an open Writer's.
  void add_pending(const std::vector<Bytes>& uids, std::int64_t now);
  void remove_pending(const std::vector<Bytes>& uids);
  std::vector<Bytes> pending() const;

 private:
  friend class Writer;
  void exec(const char* sql);
  std::pair<std::int64_t, std::int64_t> id_range(const char* table) const;
  template <typename Row>
  void checked(const Row& row) const {
    if (m_read_check) m_read_check->check(row, m_own_from);
  }
  template <typename Row>
  std::vector<Row> checked(std::vector<Row> rows) const {
    for (const Row& row : rows) checked(row);
    return rows;
  }
  template <typename Row>
  std::optional<Row> checked(std::optional<Row> row) const {
    if (row) checked(*row);
    return row;
  }
  // A document's row and, when it was assigned or its kind changed, its
  // latest assignment's and kind change's.
  void checked_document(const DocumentRow& row) const;
  sqlite3* m_db = nullptr;
  std::unique_ptr<ReadCheck> m_read_check;
  std::int64_t m_own_from = 0;  // the first seq of the open Writer's rows (0: none)
  std::string m_path;
  std::vector<std::string> m_schema_problems;
  Bytes m_archive_id;
  mutable std::optional<ErasedValues> m_erased;  // hash_rows's, read at its first call after a write
};

template <typename Row>
void Index::each(const std::function<void(const Row&)>& visit, std::int64_t first, std::int64_t last) const {
  const auto& table = table_of<Row>();
  Statement s(m_db, table.select(" WHERE id BETWEEN ? AND ? ORDER BY id"));
  s.bind(first).bind(last);
  Row row;  // reused: its buffers keep their capacity from row to row
  while (s.step()) {
    table.read(s, row);
    visit(row);
  }
}

template <typename Row>
void Index::each_stored(const std::function<void(std::span<const SqlValue>, const Row&)>& visit, std::int64_t first,
                        std::int64_t last) const {
  const auto& table = table_of<Row>();
  Statement s(m_db, table.select(" WHERE id BETWEEN ? AND ? ORDER BY id"));
  s.bind(first).bind(last);
  std::vector<SqlValue> values(table.columns().size());
  Row row;
  while (s.step()) {
    for (auto& v : values) v = s.value();
    table.from_values(values, row);
    visit(values, row);
  }
}

template <typename Row>
void Index::each_with_id(const std::vector<std::int64_t>& ids, const std::function<void(const Row&)>& visit) const {
  const auto& table = table_of<Row>();
  Statement s(m_db, table.select(" WHERE id = ?"));
  Row row;
  for (std::int64_t id : ids) {
    s.reset();
    s.bind(id);
    while (s.step()) {
      table.read(s, row);
      visit(row);
    }
  }
}

template <typename Row>
std::optional<Row> Index::row_by_seq(std::int64_t seq) const {
  const auto& table = table_of<Row>();
  Statement s(m_db, table.select(" WHERE seq = ? ORDER BY id LIMIT 1"));
  s.bind(seq);
  if (!s.step()) return std::nullopt;
  Row row;
  table.read(s, row);
  return row;
}

template <typename Row>
void Index::each_misstored(
    const std::function<void(const Row&, const std::vector<StoredValueFault>&)>& visit) const {
  const auto& table = table_of<Row>();
  Statement s(m_db, misstored_rows_select(table));
  Row row;
  std::vector<StoredValueFault> faults;
  while (s.step()) {
    read_misstored_row(table, s, row, faults);
    visit(row, faults);
  }
}

}  // namespace kaappi
