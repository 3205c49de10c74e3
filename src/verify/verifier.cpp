// verifier.cpp — see verifier.h.
#include "verify/verifier.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <span>
#include <thread>

#include "keys/blob_reader.h"
#include "register/customers.h"
#include "consent/consents.h"
#include "documents/documents.h"
#include "base/error.h"
#include "base/file_io.h"
#include "store/head_history.h"
#include "store/parallel_read.h"
#include "store/restores.h"
#include "verify/blob_check.h"
#include "verify/stored_values_check.h"
#include "base/observer.h"

namespace kaappi {
namespace {

// What the chain check keeps of each signed row (about 64 bytes).
struct RowRef {
  std::int64_t seq = 0;
  Sha256Digest hash{};
  bool hashed = false;                  // false: the row cannot be hashed (a problem said why)
  std::uint8_t table = 0;               // position in signed_tables()
  std::array<std::int64_t, 2> label{};  // the values its table's row label names
  std::int64_t document = 0;            // the document its problems name (0: none)
};

// Rows checked on one core: the refs and problems they produced.
struct PartResult {
  std::vector<RowRef> refs;
  std::vector<Problem> problems;
};

class Checker {
 public:
  Checker(Archive& archive, const ArchivePublicKey& key, Session* session, const VerifyOptions& options)
      : m_archive(archive), m_index(archive.index()), m_key(key), m_session(session), m_options(options) {}

  VerifyReport run() {
    m_index.read_mapped();
    for (const auto& p : m_index.schema_problems()) add({}, "index schema altered", p);
    if (!m_index.schema_problems().empty()) {
      // An altered schema can hide anything; rows are still checked where
      // their tables can be read.
    }
    guarded("the index file's structure", [&] {
      for (auto& line : m_index.structure_problems())
        add({}, "index structure damaged", "SQLite's integrity check: " + line);
    });
    guarded("erasures", [&] { read_erasures(); });
    guarded("index rows", [&] { check_rows(); });
    guarded("erasures", [&] { check_erasures_name_values(); });
    guarded("index values", [&] {
      for (auto& problem : stored_value_problems(m_index)) m_report.problems.push_back(std::move(problem));
      for (std::int64_t id : m_index.customers_without_key())
        add({}, "customer record altered", "customer " + std::to_string(id) + " has no key row");
    });
    guarded("the archive's history", [&] { check_history(); });
    guarded("blobs", [&] { check_blobs(); });
    guarded("archive folder", [&] { check_folder(); });
    if (m_session) guarded("sealed fields", [&] { check_fields(); });
    return std::move(m_report);
  }

 private:
  void add(std::optional<std::int64_t> doc, std::string problem, std::string detail) {
    m_report.problems.push_back({doc, std::move(problem), std::move(detail)});
  }

  template <typename F>
  void guarded(const char* what, F&& f) {
    try {
      f();
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::auth) throw;  // a wrong key is not an archive problem
      add({}, std::string("cannot check ") + what, e.what());
    }
  }

  // Streams one signed table in two halves on both cores; check(values,
  // row, out) runs on each row. Refs (appended to `refs`) and problems come
  // back in id order.
  template <typename Row, typename Check>
  void stream_table(std::vector<RowRef>& refs, Check&& check) {
    // A pair, not a structured binding: clang 14 (the fuzz build) cannot capture those.
    const auto ids = m_index.id_range<Row>();
    PartResult parts[2];
    read_in_two_parts(
        m_archive,
        [&](const Index& index, int p) {
          auto [from, to] = half_of(ids.first, ids.second, p);
          index.each_stored<Row>(
              [&](std::span<const SqlValue> values, const Row& row) { check(values, row, parts[p]); }, from, to);
        },
        true);
    for (auto& part : parts) {
      refs.insert(refs.end(), part.refs.begin(), part.refs.end());
      std::vector<RowRef>().swap(part.refs);  // keep the peak near one copy
      for (auto& problem : part.problems) m_report.problems.push_back(std::move(problem));
    }
  }

  // Hashes each row as stored (and checks its links to other tables),
  // keeping its reference for the transactions' check.
  template <typename Row>
  void check_signed_table(const SignedTable<Row>& table, std::uint8_t position, std::vector<RowRef>& refs) {
    const Bytes& a = m_key.archive_id;
    const RowNames& names = table.names();
    stream_table<Row>(refs, [&](std::span<const SqlValue> values, const Row& row, PartResult& out) {
      RowRef ref;
      ref.seq = row.seq;
      ref.table = position;
      ref.label = table.label_values(row);
      if (names.document_column) ref.document = table.value(row, names.document_column);
      try {
        ref.hash = table.row_hash(values, a, erased_hashes(table, values, row, out));
        ref.hashed = true;
      } catch (const Error& e) {
        std::optional<std::int64_t> document;
        if (ref.document) document = ref.document;
        out.problems.push_back({document, names.altered, table.label(ref.label) + ": " + e.what()});
      }
      out.refs.push_back(ref);
      check_links(row, out);
    });
  }

  // The erasures, read before the rows: which values each says it set NULL.
  void read_erasures() {
    m_index.each<ErasureRow>(
        [&](const ErasureRow& e) {
          try {
            const std::vector<ErasedValue> values = decode_erased(e.erased);
            for (const ErasedValue& v : values) m_erased.add(v);
            std::string note = "erasure " + std::to_string(e.id) + " (change " +
                               std::to_string(m_index.transaction_of_seq(e.seq)) + ") erased " +
                               std::to_string(values.size()) + " value(s)";
            if (m_session) {
              ErasureReason why = open_erasure_reason(m_session->keys().field(), e);
              note += "; by " + why.by + ": " + why.reason;
            }
            m_report.notes.push_back(note);
          } catch (const Error& err) {
            add({}, "erasure record altered", "erasure row " + std::to_string(e.id) + ": " + err.what());
          }
        },
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
  }

  // The hashes the erasures list for a row's erased values, by column; a
  // value an erasure names that is still there is a problem.
  template <typename Row>
  std::vector<ErasedHash> erased_hashes(const SignedTable<Row>& table, std::span<const SqlValue> values,
                                        const Row& row, PartResult& out) const {
    const std::vector<ErasedValue>* listed = m_erased.of_row(table.code(), row.id);
    if (listed == nullptr) return {};
    for (const ErasedValue& v : *listed)
      if (v.column + 1u < values.size() && values[v.column].type != SqlValue::Type::null)
        out.problems.push_back({{}, table.names().altered,
                                table.label(table.label_values(row)) + ": " + table.columns()[v.column].name +
                                    " is still stored, but an erasure row says it was erased"});
    return m_erased.hashes(table.code(), row.id, values.size() - 1);
  }

  // Each erased value an erasure lists is an erasable column of an existing row.
  void check_erasures_name_values() {
    for (const auto& [key, values] : m_erased.rows()) {
      for (const ErasedValue& v : values) {
        std::string problem;
        bool table_known = false;
        for_each_signed_table([&](const auto& table) {
          if (table.code() != v.table) return;
          table_known = true;
          const auto& columns = table.columns();
          if (v.column + 1u >= columns.size() || !columns[v.column].erasable)
            problem = std::string("names column ") + std::to_string(v.column) + " of " + table.name() +
                      ", which is never erased";
          else if (!m_index.has_row(table.name(), v.row_id))
            problem = std::string("names row ") + std::to_string(v.row_id) + " of " + table.name() + ", which does not exist";
        });
        if (!table_known) problem = "names table code " + std::to_string(v.table) + ", which does not exist";
        if (!problem.empty()) add({}, "erasure record altered", "an erasure " + problem);
      }
    }
  }

  // Rules between tables, checked with each row: rows of most tables have
  // none. That each link names a row is checked with the stored values.
  template <typename Row>
  void check_links(const Row&, PartResult&) const {}

  void check_links(const AssignmentRow& asg, PartResult& out) const {
    auto doc = std::find_if(m_documents.begin(), m_documents.end(),
                            [&](const DocumentRow& d) { return d.id == asg.document_id; });
    if (doc != m_documents.end() && doc->customer_id != 0)
      out.problems.push_back({asg.document_id, "assignment altered",
                              "an assignment names a document that was taken in with a customer"});
  }

  // What the link checks need, read before the table whose rows they check.
  template <typename Row>
  void prepare_links(const SignedTable<Row>&) {}

  void prepare_links(const SignedTable<DocumentRow>&) { m_documents = m_index.documents(); }


  void check_rows() {
    std::vector<RowRef> refs;
    refs.reserve(static_cast<size_t>(std::max<std::int64_t>(m_index.signed_rows(), 0)));  // one allocation
    for_each_signed_table([&](const auto& table) {
      auto position = static_cast<std::uint8_t>(m_labels.size());
      m_labels.push_back([&table](const RowRef& r) { return table.label(r.label); });
      m_altered.push_back(table.names().altered);
      check_table(table, position, refs);
    });
    std::sort(refs.begin(), refs.end(), [](const RowRef& x, const RowRef& y) { return x.seq < y.seq; });
    check_transactions(refs);
  }

  std::string describe(const RowRef& r) const { return m_labels[r.table](r); }

  // Every transaction: its rows (exactly the sequence numbers after the one
  // before, each once), the hash of their hashes, its digest chained to the
  // one before, and its signature (on both cores). The head is the last.
  void check_transactions(const std::vector<RowRef>& refs) {
    std::vector<TransactionRow> txs;
    m_index.each_transaction(std::numeric_limits<std::int64_t>::min(),
                             [&](const TransactionRow& t) { txs.push_back(t); });
    if (txs.empty()) {
      add({}, "signed head altered", "the index has no signed transaction");
      return;
    }
    std::vector<char> sig_ok(txs.size(), 0);
    {
      auto verify_part = [&](size_t part) {
        for (size_t i = part; i < txs.size(); i += 2) sig_ok[i] = transaction_signature_ok(txs[i], m_key.sign_pk);
      };
      std::thread second(verify_part, 1);
      verify_part(0);
      second.join();
    }
    const Bytes& a = m_key.archive_id;
    Bytes previous(32, 0);
    std::int64_t first_seq = 1;
    size_t next_ref = 0;
    for (size_t i = 0; i < txs.size(); ++i) {
      const TransactionRow& t = txs[i];
      const bool is_head = i + 1 == txs.size();
      const std::string change = "change " + std::to_string(t.tx);
      if (t.tx != static_cast<std::int64_t>(i) + 1)
        add({}, "signed transaction deleted",
            "the transactions are not numbered 1, 2, 3, …: " + change + " follows change " + std::to_string(i));
      if (!sig_ok[i])
        add({}, is_head ? "signed head altered" : "signed transaction altered", change + " does not match its signature");
      if (t.last_seq > k_max_seq) {
        add({}, "signed transaction altered", change + " names row " + std::to_string(t.last_seq) +
                                                  ", beyond any kaappi writes; the changes from it on are not checked");
        return;
      }
      if (t.last_seq < first_seq)
        add({}, "signed transaction altered", change + " adds no rows");
      // Its rows.
      RowsHash rows;
      bool complete = true;
      std::vector<const RowRef*> held;
      std::int64_t expected = first_seq;
      for (; next_ref < refs.size() && refs[next_ref].seq <= t.last_seq; ++next_ref) {
        const RowRef& r = refs[next_ref];
        if (r.seq < expected) {
          add({}, "index row duplicated", describe(r) + " reuses sequence number " + std::to_string(r.seq));
          complete = false;
          continue;
        }
        if (expected < r.seq) {
          report_missing(expected, r.seq - 1, change);
          complete = false;
        }
        expected = r.seq + 1;
        complete = complete && r.hashed;
        if (r.hashed) rows.add(r.hash);
        held.push_back(&r);
      }
      if (expected <= t.last_seq) {
        report_missing(expected, t.last_seq, change);
        complete = false;
      }
      if (complete) {
        Sha256Digest hash = rows.finish();
        if (Bytes(hash.begin(), hash.end()) != t.rows) report_altered_rows(t, held);
      }
      if (transaction_digest_of(t, a, previous) != t.digest)
        add({}, "index does not match its signed head",
            change + " does not follow from the change before it: changes were replaced by other signed changes");
      previous = t.digest;
      first_seq = std::max(first_seq, t.last_seq + 1);
    }
    for (; next_ref < refs.size(); ++next_ref)
      add({}, "index row not covered by the signed head",
          describe(refs[next_ref]) + " (seq " + std::to_string(refs[next_ref].seq) + ") was added outside kaappi");
  }

  // Rows first..last missing from a change: one problem, however many.
  void report_missing(std::int64_t first, std::int64_t last, const std::string& change) {
    if (first == last)
      add({}, "index row deleted", "the row with sequence number " + std::to_string(first) + " (" + change +
                                       ") is missing");
    else
      add({}, "index row deleted", "the rows with sequence numbers " + std::to_string(first) + " to " +
                                       std::to_string(last) + " (" + change + ") are missing");
  }

  // The rows of a transaction whose hash is not the signed one: which of
  // them was altered the signature cannot tell. A change of a few rows (one
  // command's) names each table's problem with its rows (each document
  // separately); a larger one (a bulk load, an upgrade's first change) is one
  // problem naming what it holds, so that no innocent document is named.
  void report_altered_rows(const TransactionRow& t, const std::vector<const RowRef*>& held) {
    const std::string change = "change " + std::to_string(t.tx);
    std::map<std::uint8_t, std::vector<const RowRef*>> by_table;
    for (const RowRef* r : held) by_table[r->table].push_back(r);
    auto listed = [&](const std::vector<const RowRef*>& rows) {
      std::string out;
      for (size_t k = 0; k < rows.size() && k < 5; ++k) out += (k ? ", " : "") + describe(*rows[k]);
      if (rows.size() > 5) out += " and " + std::to_string(rows.size() - 5) + " more";
      return out;
    };
    if (held.size() > 5) {
      std::string tables;
      for (const auto& [table, rows] : by_table) tables += (tables.empty() ? "" : "; ") + listed(rows);
      add({}, "index rows altered", change + " does not match its signature: one of its " +
                                        std::to_string(held.size()) + " rows was altered (" + tables + ")");
      return;
    }
    for (const auto& [table, rows] : by_table) {
      const std::string detail = change + " does not match its signature: one of its rows was altered (" +
                                 listed(rows) + ")";
      bool named = false;
      for (const RowRef* r : rows)
        if (r->document != 0) {
          add(r->document, m_altered[table], detail);
          named = true;
        }
      if (!named) add({}, m_altered[table], detail);
    }
  }

  // The head this machine remembers (the rule is head_history's), and each
  // restore from a backup the key holder accepted, as a note.
  void check_history() {
    HistoryCheck c = HeadHistory(m_archive, m_key).check();
    if (c.state == HistoryState::rolled_back) add({}, "archive rolled back", describe_break(c, m_archive.root()));
    if (c.state == HistoryState::forked) add({}, "archive forked", describe_break(c, m_archive.root()));
    if (c.state == HistoryState::replaced) add({}, "archive replaced", describe_break(c, m_archive.root()));
    if (c.state == HistoryState::unusable) add({}, "head record unusable", c.problem);
    if (c.state == HistoryState::re_anchored) m_report.notes.push_back(describe_re_anchor(c, m_archive.root()));
    m_index.each<RestoreRow>(
        [&](const RestoreRow& r) {
          std::string note = describe_restore(r, m_index.transaction_of_seq(r.seq));
          if (m_session) try {
              RestoreReason why = open_restore_reason(m_session->keys().field(), r);
              note += "; accepted by " + why.by + ": " + why.reason;
            } catch (const Error& e) {
              add({}, "restore record altered", "restore row " + std::to_string(r.id) + ": " + e.what());
            }
          m_report.notes.push_back(note);
        },
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
  }

  // The archive row: the archive's identity, which must be the key's.
  void check_table(const SignedTable<ArchiveRow>& table, std::uint8_t position, std::vector<RowRef>& refs) {
    ArchiveRow archive = m_index.archive();
    if (archive.archive_id != m_key.archive_id || archive.box_pk != m_key.box_pk || archive.sign_pk != m_key.sign_pk) {
      if (archive.sign_pk != m_key.sign_pk && archive.box_pk != m_key.box_pk)
        fail(ErrorKind::auth, "this key does not open archive " + m_archive.root() + " (it belongs to another archive)");
      add({}, table.names().altered, table.names().signature_detail);
    }
    check_signed_table(table, position, refs);
  }

  // Each other table in two halves, one per core.
  template <typename Row>
  void check_table(const SignedTable<Row>& table, std::uint8_t position, std::vector<RowRef>& refs) {
    prepare_links(table);
    check_signed_table(table, position, refs);
  }

  void check_blobs() {
    // The blobs are read only in the archive's own folder, never through a
    // link (or anything else) planted in its place: writers refuse that too.
    if (std::optional<Problem> replaced = blobs_folder_replaced(m_archive.root())) {
      m_report.problems.push_back(std::move(*replaced));
      m_blobs_folder_replaced = true;
      return;
    }
    std::uint64_t total = 0;
    for (const auto& d : m_documents) total += static_cast<std::uint64_t>(std::max<std::int64_t>(d.blob_size, 0));
    Progress progress(m_archive.observer(), m_session ? "verifying (full)" : "verifying", total, m_options.quiet);
    std::uint64_t before = 0;
    for (const auto& d : m_documents) {
      ++m_report.documents_checked;
      auto on_progress = [&](std::uint64_t done) { progress.update(before + done); };
      check_blob(d, on_progress);
      before += static_cast<std::uint64_t>(std::max<std::int64_t>(d.blob_size, 0));
    }
    progress.finish();
  }

  void check_blob(const DocumentRow& d, const std::function<void(std::uint64_t)>& on_progress) {
    // A document whose key an erasure names cannot be opened, and its blob
    // need not be there. A key that is empty while no erasure names it was
    // removed outside kaappi (its row's hash says so): what needs no key is
    // still checked.
    const bool key_missing = d.erased();
    if (key_missing && erasure_names(table_of<DocumentRow>(), d.id, "sealed_key")) {
      struct stat st {};
      if (::lstat(m_archive.blob_path(d.uid).c_str(), &st) == 0)
        m_report.notes.push_back("document " + std::to_string(d.id) +
                                 " was erased; its blob file is still in place but can no longer be opened");
      return;
    }
    if (key_missing && m_session)
      add(d.id, "document key missing", "the document's key is empty and no erasure names it, so it cannot be opened");
    std::optional<BlobFile> blob = open_checked_blob(m_archive.blob_path(d.uid), d, m_key.archive_id, m_report.problems);
    if (!blob) return;
    if (!m_session || key_missing) {
      check_blob_hash(*blob, d, BlobHashFormat::format2, m_report, on_progress);
      return;
    }
    const Fd& fd = blob->fd;
    // Full: one pass decrypts and authenticates every chunk and hashes the
    // blob's bytes (not the plaintext they decrypt to: docs/FORMAT.md, "What
    // verify --full checks").
    try {
      const auto& key = m_session->key();
      SecretBuffer doc_key = open_document_key(d.sealed_key, key.box_pk, key.box_sk);
      const ValueSealer metadata = m_session->keys().document(doc_key);
      if (d.owner() != 0) m_session->customer_values(d.owner());  // their key, for the duplicate tag
      BlobDigest digest = read_blob(fd.get(), m_key.archive_id, d.blob_uid, doc_key, {}, on_progress, AlsoFormat1::no,
                                    ContentHash::no);
      m_report.bytes_checked += digest.blob_size;
      // A sealed metadata that does not open is reported (below) after an altered blob.
      std::optional<DocumentMeta> meta;
      std::exception_ptr meta_error;
      try {
        meta = open_document_meta(metadata, d);
      } catch (const Error&) {
        meta_error = std::current_exception();
      }
      BlobMismatch mismatch =
          check_read_blob_matches_row(m_session->keys(), d, meta ? meta->content_hash : std::string(), digest);
      if (mismatch.blob_hash)
        add(d.id, "blob altered", blob_altered_detail(BlobHashFormat::format2));
      if (meta_error) std::rethrow_exception(meta_error);
      if (!meta) {
        add(d.id, "metadata unreadable", "the document's sealed metadata is not valid");
        return;
      }
      if (mismatch.content_hash)
        add(d.id, "content hash mismatch",
            "the content hash recorded in the document's metadata does not match its signed duplicate tag");
      if (mismatch.plain_size)
        add(d.id, "size mismatch", "the decrypted document's size differs from the index");
    } catch (const Error& e) {
      add(d.id, "blob fails authentication", e.what());
    }
  }

  void check_folder() {
    std::set<std::string> known;
    for (const auto& d : m_documents) known.insert(m_archive.blob_path(d.uid));
    // An interrupted import's files, named by its (unsigned) intent, wait for
    // the next writer to roll them back (Archive::recover): a note, not a
    // problem. Verify itself never removes anything.
    std::set<std::string> known_temp;
    int interrupted = 0;
    for (const Bytes& uid : m_archive.index().pending()) {
      if (m_archive.index().document_by_uid(uid)) continue;
      known.insert(m_archive.blob_path(uid));
      known_temp.insert(Archive::temp_blob_name(uid));
      ++interrupted;
    }
    if (interrupted > 0)
      m_report.notes.push_back(std::to_string(interrupted) +
                               " interrupted import(s) not rolled back yet: the next command that writes (or kaappi "
                               "recover) removes what they left");
    std::string blobs = m_archive.blobs_dir();
    if (m_blobs_folder_replaced) return;  // said once (check_blobs); nothing is listed through it
    for (const std::string& sub : list_dir(blobs)) {
      std::string sub_path = blobs + "/" + sub;
      struct stat st {};
      if (::lstat(sub_path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        add({}, "unexpected file in blobs/", sub_path);
        continue;
      }
      for (const std::string& name : list_dir(sub_path)) {
        std::string path = sub_path + "/" + name;
        if (known.count(path)) continue;
        add({}, "blob with no index row", path + " is not explained by any index row or interrupted import");
      }
    }
    for (const std::string& name : list_dir(m_archive.tmp_dir()))
      if (!known_temp.count(name)) add({}, "unexplained temporary file", m_archive.tmp_dir() + "/" + name);
  }

  static std::vector<std::string> list_dir(const std::string& path) {
    std::vector<std::string> out;
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return out;
    while (dirent* e = ::readdir(dir)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") out.push_back(n);
    }
    ::closedir(dir);
    std::sort(out.begin(), out.end());
    return out;
  }

  // Whether a row read as stored has an erased (NULL) value: the row's hash
  // already checked that an erasure names it; such a row is not opened.
  static bool has_erased(std::span<const SqlValue> values) {
    return std::any_of(values.begin(), values.end(), [](const SqlValue& v) { return v.type == SqlValue::Type::null; });
  }

  // Customers whose key an erasure names (a key emptied otherwise is a
  // problem of its row's hash, not an erasure).
  std::int64_t count_erased_customers() const {
    std::int64_t n = 0;
    m_index.each_customer_key([&](const CustomerKeyRow& row, const Bytes&) {
      n += row.wrapped.empty() && erasure_names(table_of<CustomerKeyRow>(), row.id, "wrapped") ? 1 : 0;
    });
    return n;
  }

  // Whether an erasure row names `column` of the row `id` of `table`.
  template <typename Row>
  bool erasure_names(const SignedTable<Row>& table, std::int64_t id, std::string_view column) const {
    const std::vector<ErasedValue>* listed = m_erased.of_row(table.code(), id);
    if (listed == nullptr) return false;
    for (const ErasedValue& v : *listed)
      if (v.column < table.columns().size() && column == table.columns()[v.column].name) return true;
    return false;
  }

  // Every sealed value opens under the key its column names (index_keys.h).
  // A customer whose key does not open is one problem, and their rows are
  // not opened one by one.
  void check_fields() {
    std::set<std::int64_t> bad_keys;
    if (std::int64_t erased = count_erased_customers(); erased > 0)
      m_report.notes.push_back(std::to_string(erased) +
                               " customer(s) erased: their key is gone, so their values are not opened (verified by "
                               "their hashes only)");
    m_session->hold_customer_keys([&](std::int64_t customer_id, const Error& e) {
      bad_keys.insert(customer_id);
      add({}, "customer record altered", "customer " + std::to_string(customer_id) + ": " + e.what());
    });
    const IndexKeys& keys = m_session->keys();
    auto held = [&](std::int64_t customer_id) { return keys.customer_keys().holds(customer_id); };
    std::map<std::int64_t, Bytes> tags;
    for (const auto& row : m_index.customers()) tags[row.id] = row.number_tag;
    std::map<std::int64_t, const DocumentRow*> documents;
    for (const auto& d : m_documents) documents[d.id] = &d;
    std::vector<RowRef> unused;
    stream_table<CustomerVersionRow>(unused, [&](std::span<const SqlValue> values, const CustomerVersionRow& v, PartResult& out) {
      if (!held(v.customer_id) || has_erased(values)) return;
      try {
        CustomerVersion cv = open_customer_version(keys.customer(v.customer_id), v);
        auto tag = tags.find(v.customer_id);
        if (tag != tags.end() && keys.number_tag(cv.record.get("number")) != tag->second)
          out.problems.push_back({{}, "customer record altered", "customer " + std::to_string(v.customer_id) +
                                                                     ": the number does not match its lookup key"});
      } catch (const Error& e) {
        out.problems.push_back({{}, "customer record altered", "customer " + std::to_string(v.customer_id) + " version " +
                                                                   std::to_string(v.version) + ": " + e.what()});
      }
    });
    stream_table<ConsentEventRow>(unused, [&](std::span<const SqlValue> values, const ConsentEventRow& e, PartResult& out) {
      if (!held(e.customer_id) || has_erased(values)) return;
      try {
        const ConsentEvent event = open_consent_event(keys.customer(e.customer_id), e);
        if (event.document) {
          auto d = documents.find(*event.document);
          if (d == documents.end() || !document_proves_for(*d->second, e.customer_id))
            out.problems.push_back({event.document, "consent event altered",
                                    "consent event " + std::to_string(e.id) + " names document " +
                                        std::to_string(*event.document) + " as its proof, which is not its customer's"});
        }
      } catch (const Error& err) {
        out.problems.push_back({{}, "consent event altered", "consent event " + std::to_string(e.id) + ": " + err.what()});
      }
    });
    for (const auto& st : m_index.stations()) {
      try {
        keys.field().open("stations", "name", st.uid, st.name);
      } catch (const Error& err) {
        add({}, "station record altered", "station " + std::to_string(st.id) + ": " + err.what());
      }
    }
    // A read without a customer is sealed under its document's metadata key.
    stream_table<AccessRow>(unused, [&](std::span<const SqlValue> values, const AccessRow& r, PartResult& out) {
      if ((r.customer_id != 0 && !held(r.customer_id)) || has_erased(values)) return;
      try {
        if (r.customer_id != 0) {
          open_access_entry(keys.customer(r.customer_id), r);
        } else if (auto d = documents.find(r.document_id); d != documents.end() && !d->second->erased()) {
          open_access_entry(keys.document(m_session->document_key(*d->second)), r);
        }
      } catch (const Error& err) {
        out.problems.push_back({r.document_id, "access log altered", "access log entry " + std::to_string(r.id) + ": " + err.what()});
      }
    });
  }

  Archive& m_archive;
  Index& m_index;
  const ArchivePublicKey& m_key;
  Session* m_session;
  VerifyOptions m_options;
  std::vector<DocumentRow> m_documents;
  std::vector<std::function<std::string(const RowRef&)>> m_labels;  // by table position
  std::vector<const char*> m_altered;                                // by table position
  VerifyReport m_report;
  ErasedValues m_erased;  // what the erasure rows list, read before the rows
  bool m_blobs_folder_replaced = false;  // check_blobs found no folder of the archive at blobs/
};

}  // namespace

VerifyReport verify_archive(Archive& archive, const ArchivePublicKey& key, Session* session,
                            const VerifyOptions& options) {
  const Bytes& held = archive.archive_id();
  if (!held.empty() && held != key.archive_id) {
    // The key names another archive. Made with the same key pair (kaappi
    // init --reuse-key) and put in this folder, it is a replaced archive;
    // with other keys, it is the wrong key.
    const ArchivePublicKey own = archive_public_key(archive.index());
    if (own.box_pk != key.box_pk || own.sign_pk != key.sign_pk)
      fail(ErrorKind::auth, "this public key does not belong to archive " + archive.root());
    VerifyReport replaced;
    replaced.problems.push_back(
        {std::nullopt, "archive replaced",
         "archive folder " + archive.root() + " holds archive " + to_hex(held) + ", not archive " +
             to_hex(key.archive_id) + " that the public key names; it was made with the same key (kaappi init "
             "--reuse-key) and put in its place. Nothing else was checked"});
    return replaced;
  }
  return Checker(archive, key, session, options).run();
}

}  // namespace kaappi
