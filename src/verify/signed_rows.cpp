// signed_rows.cpp — see signed_rows.h.
#include "verify/signed_rows.h"

#include <algorithm>

#include "verify/table_stream.h"

namespace kaappi {
namespace {

constexpr std::uint8_t k_unhashed = 0x80;  // a slot's row could not be hashed

// Rows checked on one core: the rows it kept aside and the problems it found.
struct RowsPart {
  std::vector<RowRef> aside;
  std::vector<Problem> problems;
};

class Walk {
 public:
  Walk(VerifyContext& c, const ErasureCheck& erasures)
      : m_c(c), m_erasures(erasures), m_rows(std::max<std::int64_t>(c.index.signed_rows(), 0)) {}

  SignedRows run() {
    for_each_signed_table([&](const auto& table) {
      using Row = typename std::decay_t<decltype(table)>::RowType;
      const auto position = static_cast<std::uint8_t>(m_position++);
      m_rows.add_table([&table](const RowRef& r) { return table.label(r.label); }, table.names().altered,
                       [&table, position](const Index& index, std::int64_t seq) {
                         RowRef r;
                         r.seq = seq;
                         r.table = position;
                         if (std::optional<Row> row = index.row_by_seq<Row>(seq)) r = ref_of(table, position, *row);
                         return r;
                       });
      check_table(table, position);
    });
    m_rows.finish();
    return std::move(m_rows);
  }

 private:
  template <typename Row>
  static RowRef ref_of(const SignedTable<Row>& table, std::uint8_t position, const Row& row) {
    RowRef ref;
    ref.seq = row.seq;
    ref.table = position;
    ref.label = table.label_values(row);
    if (const char* column = table.names().document_column) ref.document = table.value(row, column);
    return ref;
  }

  // The archive row: the archive's identity, which must be the key's.
  void check_table(const SignedTable<ArchiveRow>& table, std::uint8_t position) {
    ArchiveRow archive = m_c.index.archive();
    if (archive.archive_id != m_c.key.archive_id || archive.box_pk != m_c.key.box_pk ||
        archive.sign_pk != m_c.key.sign_pk) {
      if (archive.sign_pk != m_c.key.sign_pk && archive.box_pk != m_c.key.box_pk)
        fail(ErrorKind::auth,
             "this key does not open archive " + m_c.archive.root() + " (it belongs to another archive)");
      m_c.add({}, table.names().altered, table.names().signature_detail);
    }
    check_signed_table(table, position);
  }

  template <typename Row>
  void check_table(const SignedTable<Row>& table, std::uint8_t position) {
    prepare_links(table);
    check_signed_table(table, position);
  }

  // Hashes each row as stored (and checks its links to other tables),
  // keeping its hash for the transactions' check.
  template <typename Row>
  void check_signed_table(const SignedTable<Row>& table, std::uint8_t position) {
    const Bytes& a = m_c.key.archive_id;
    stream_table<Row, RowsPart>(
        m_c,
        [&](std::span<const SqlValue> values, const Row& row, RowsPart& out) {
          Sha256Digest hash{};
          bool hashed = false;
          try {
            hash = table.row_hash(values, a, m_erasures.hashes(table, values, row, out.problems));
            hashed = true;
          } catch (const Error& e) {
            const RowRef ref = ref_of(table, position, row);
            std::optional<std::int64_t> document;
            if (ref.document) document = ref.document;
            out.problems.push_back({document, table.names().altered, table.label(ref.label) + ": " + e.what()});
          }
          if (!m_rows.add(row.seq, position, hashed, hash)) {
            RowRef ref = ref_of(table, position, row);
            ref.hash = hash;
            ref.hashed = hashed;
            out.aside.push_back(ref);
          }
          check_links(row, out);
        },
        [&](RowsPart& part) {
          m_rows.add_aside(part.aside);
          for (auto& problem : part.problems) m_c.report.problems.push_back(std::move(problem));
        });
  }

  // Rules between tables, checked with each row: rows of most tables have
  // none. That each link names a row is checked with the stored values.
  template <typename Row>
  void check_links(const Row&, RowsPart&) const {}

  void check_links(const HoldRow& hold, RowsPart& out) const {
    if ((hold.document_id == 0) == (hold.customer_id == 0))
      out.problems.push_back({std::nullopt, "hold record altered",
                              "hold " + std::to_string(hold.id) + " names " +
                                  (hold.document_id == 0 ? "neither a document nor a customer"
                                                         : "both a document and a customer") +
                                  "; kaappi holds one or the other"});
  }

  void check_links(const RequestEventRow& event, RowsPart& out) const {
    if (event.action != "extended" && event.action != "closed" && event.action != "inspected")
      out.problems.push_back({std::nullopt, "request record altered",
                              "request event " + std::to_string(event.id) + " records an action kaappi never writes"});
  }

  // What the link checks need, read before the table whose rows they check.
  template <typename Row>
  void prepare_links(const SignedTable<Row>&) {}

  void prepare_links(const SignedTable<DocumentRow>&) { m_c.documents = m_c.index.documents(); }

  VerifyContext& m_c;
  const ErasureCheck& m_erasures;
  SignedRows m_rows;
  int m_position = 0;
};

}  // namespace

SignedRows::SignedRows(std::int64_t slots)
    : m_slots(slots), m_hashes(static_cast<size_t>(slots)),
      m_kinds(new std::atomic<std::uint8_t>[static_cast<size_t>(slots)]()) {}

bool SignedRows::add(std::int64_t seq, std::uint8_t table, bool hashed, const Sha256Digest& hash) {
  if (seq < 1 || seq > m_slots) return false;
  const auto slot = static_cast<size_t>(seq - 1);
  std::uint8_t empty = 0;
  const auto kind = static_cast<std::uint8_t>((table + 1) | (hashed ? 0 : k_unhashed));
  if (!m_kinds[slot].compare_exchange_strong(empty, kind, std::memory_order_relaxed)) return false;
  m_hashes[slot] = hash;  // read only after both cores have finished (the join orders it)
  return true;
}

void SignedRows::add_aside(std::vector<RowRef>& rows) {
  m_aside.insert(m_aside.end(), rows.begin(), rows.end());
  std::vector<RowRef>().swap(rows);
}

void SignedRows::finish() {
  std::stable_sort(m_aside.begin(), m_aside.end(), [](const RowRef& x, const RowRef& y) { return x.seq < y.seq; });
}

void SignedRows::add_table(std::function<std::string(const RowRef&)> label, const char* altered,
                           std::function<RowRef(const Index&, std::int64_t)> lookup) {
  m_labels.push_back(std::move(label));
  m_altered.push_back(altered);
  m_lookups.push_back(std::move(lookup));
}

RowRef SignedRows::ref(const Index& index, const RowEntry& entry) const {
  if (entry.aside) return *entry.aside;
  RowRef r = m_lookups[entry.table](index, entry.seq);
  r.hashed = entry.hashed;
  if (entry.hash) r.hash = *entry.hash;
  return r;
}

bool SignedRows::Cursor::next(std::int64_t limit, RowEntry& out) {
  const SignedRows& rows = *m_rows;
  // The next filled slot, if any, up to the limit.
  const std::int64_t last_slot = std::min(limit, rows.m_slots);
  while (m_slot <= last_slot && rows.m_kinds[static_cast<size_t>(m_slot - 1)].load(std::memory_order_relaxed) == 0)
    ++m_slot;
  const bool slot = m_slot <= last_slot;
  const bool aside = m_aside < rows.m_aside.size() && rows.m_aside[m_aside].seq <= limit;
  if (aside && (!slot || rows.m_aside[m_aside].seq < m_slot)) {
    const RowRef& r = rows.m_aside[m_aside++];
    out = {r.seq, r.table, r.hashed, &r.hash, &r};
    return true;
  }
  if (!slot) return false;
  const auto i = static_cast<size_t>(m_slot - 1);
  const std::uint8_t kind = rows.m_kinds[i].load(std::memory_order_relaxed);
  out = {m_slot, static_cast<std::uint8_t>((kind & ~k_unhashed) - 1), (kind & k_unhashed) == 0, &rows.m_hashes[i],
         nullptr};
  ++m_slot;
  return true;
}

SignedRows walk_signed_rows(VerifyContext& c, const ErasureCheck& erasures) { return Walk(c, erasures).run(); }

}  // namespace kaappi
