// signed_rows.cpp — see signed_rows.h.
#include "verify/signed_rows.h"

#include <algorithm>

#include "verify/table_stream.h"

namespace kaappi {
namespace {

// Rows checked on one core: the refs and problems they produced.
struct RowsPart {
  std::vector<RowRef> refs;
  std::vector<Problem> problems;
};

class Walk {
 public:
  Walk(VerifyContext& c, const ErasureCheck& erasures) : m_c(c), m_erasures(erasures) {}

  SignedRows run() {
    m_rows.refs.reserve(static_cast<size_t>(std::max<std::int64_t>(m_c.index.signed_rows(), 0)));  // one allocation
    for_each_signed_table([&](const auto& table) {
      auto position = static_cast<std::uint8_t>(m_rows.labels.size());
      m_rows.labels.push_back([&table](const RowRef& r) { return table.label(r.label); });
      m_rows.altered.push_back(table.names().altered);
      check_table(table, position);
    });
    std::sort(m_rows.refs.begin(), m_rows.refs.end(), [](const RowRef& x, const RowRef& y) { return x.seq < y.seq; });
    return std::move(m_rows);
  }

 private:
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
  // keeping its reference for the transactions' check.
  template <typename Row>
  void check_signed_table(const SignedTable<Row>& table, std::uint8_t position) {
    const Bytes& a = m_c.key.archive_id;
    const RowNames& names = table.names();
    stream_table<Row, RowsPart>(
        m_c,
        [&](std::span<const SqlValue> values, const Row& row, RowsPart& out) {
          RowRef ref;
          ref.seq = row.seq;
          ref.table = position;
          ref.label = table.label_values(row);
          if (names.document_column) ref.document = table.value(row, names.document_column);
          try {
            ref.hash = table.row_hash(values, a, m_erasures.hashes(table, values, row, out.problems));
            ref.hashed = true;
          } catch (const Error& e) {
            std::optional<std::int64_t> document;
            if (ref.document) document = ref.document;
            out.problems.push_back({document, names.altered, table.label(ref.label) + ": " + e.what()});
          }
          out.refs.push_back(ref);
          check_links(row, out);
        },
        [&](RowsPart& part) {
          m_rows.refs.insert(m_rows.refs.end(), part.refs.begin(), part.refs.end());
          std::vector<RowRef>().swap(part.refs);  // keep the peak near one copy
          for (auto& problem : part.problems) m_c.report.problems.push_back(std::move(problem));
        });
  }

  // Rules between tables, checked with each row: rows of most tables have
  // none. That each link names a row is checked with the stored values.
  template <typename Row>
  void check_links(const Row&, RowsPart&) const {}

  void check_links(const AssignmentRow& asg, RowsPart& out) const {
    auto doc = std::find_if(m_c.documents.begin(), m_c.documents.end(),
                            [&](const DocumentRow& d) { return d.id == asg.document_id; });
    if (doc != m_c.documents.end() && doc->customer_id != 0)
      out.problems.push_back({asg.document_id, "assignment altered",
                              "an assignment names a document that was taken in with a customer"});
  }

  // What the link checks need, read before the table whose rows they check.
  template <typename Row>
  void prepare_links(const SignedTable<Row>&) {}

  void prepare_links(const SignedTable<DocumentRow>&) { m_c.documents = m_c.index.documents(); }

  VerifyContext& m_c;
  const ErasureCheck& m_erasures;
  SignedRows m_rows;
};

}  // namespace

SignedRows walk_signed_rows(VerifyContext& c, const ErasureCheck& erasures) { return Walk(c, erasures).run(); }

}  // namespace kaappi
