// test_decision_check.cpp — verify's replay of the decisions commands made
// on a row's absence (verify/decision_check.h): documents stored twice, the
// customer an access log row names, corrections made twice or misdirected.
#include <catch2/catch.hpp>

#include "verify/decision_check.h"

using namespace kaappi;

namespace {

using Twice = DocumentHistory::Twice;

Bytes tag(std::uint8_t b) { return Bytes(32, b); }

// Document `id` added at `seq` for `customer` (0: none) with duplicate tag `t`.
DocumentRow document(std::int64_t id, std::int64_t seq, std::int64_t customer, const Bytes& t) {
  DocumentRow d;
  d.id = id;
  d.seq = seq;
  d.customer_id = customer;
  d.content_tag = t;
  d.blob_uid = Bytes(16, static_cast<std::uint8_t>(id));  // each its own envelope unless a test says otherwise
  d.blob_hash = Bytes(32, static_cast<std::uint8_t>(id));
  return d;
}

AssignmentRow assignment(std::int64_t document, std::int64_t seq, std::int64_t customer, const Bytes& t) {
  AssignmentRow a;
  a.id = document;
  a.seq = seq;
  a.document_id = document;
  a.customer_id = customer;
  a.content_tag = t;
  return a;
}

AccessRow read(std::int64_t id, std::int64_t seq, std::int64_t document, std::int64_t customer) {
  AccessRow r;
  r.id = id;
  r.seq = seq;
  r.document_id = document;
  r.customer_id = customer;
  return r;
}

}  // namespace

TEST_CASE("a customer's documents hold each content once, and the unassigned ones too", "[verify][decisions]") {
  SECTION("different customers, different contents and erased tags hold nothing twice") {
    const std::vector<DocumentRow> docs{document(1, 10, 1, tag(1)), document(2, 11, 2, tag(1)),
                                        document(3, 12, 1, tag(2)), document(4, 13, 1, Bytes{}),
                                        document(5, 14, 1, Bytes{})};
    CHECK(DocumentHistory(docs, {}).twice().empty());
  }
  SECTION("the same content for the same customer is named, with the document a lookup finds first") {
    const std::vector<DocumentRow> docs{document(3, 10, 1, tag(1)), document(7, 20, 1, tag(1)),
                                        document(8, 21, 1, tag(1))};
    const DocumentHistory h(docs, {});
    REQUIRE(h.twice().size() == 2);
    CHECK(h.twice()[0].first == 3);
    CHECK(h.twice()[0].second == 7);
    CHECK(h.twice()[0].customer == 1);
    CHECK(h.twice()[1].first == 3);
    CHECK(h.twice()[1].second == 8);
    CHECK_FALSE(h.twice()[0].assigned);
    // How many held it then: one, then two.
    CHECK(h.twice()[0].holders == 1);
    CHECK(h.twice()[1].holders == 2);
  }
  SECTION("two unassigned documents of the same content") {
    const std::vector<DocumentRow> docs{document(1, 10, 0, tag(1)), document(2, 11, 0, tag(1))};
    const DocumentHistory h(docs, {});
    REQUIRE(h.twice().size() == 1);
    CHECK(h.twice()[0].customer == 0);
  }
}

TEST_CASE("an assignment moves a document from the unassigned ones to its customer's", "[verify][decisions]") {
  SECTION("unassigned, then assigned: the same content may come in unassigned again") {
    // Document 1 taken in unassigned, assigned to customer 1 (its tag under
    // that customer's key), then the same scan taken in unassigned again.
    const std::vector<DocumentRow> docs{document(1, 10, 0, tag(1)), document(2, 30, 0, tag(1))};
    CHECK(DocumentHistory(docs, {assignment(1, 20, 1, tag(9))}).twice().empty());
  }
  SECTION("unassigned again before the assignment: twice") {
    const std::vector<DocumentRow> docs{document(1, 10, 0, tag(1)), document(2, 15, 0, tag(1))};
    const DocumentHistory h(docs, {assignment(1, 20, 1, tag(9))});
    REQUIRE(h.twice().size() == 1);
    CHECK(h.twice()[0].second == 2);
  }
  SECTION("assigned to a customer who holds that content") {
    const std::vector<DocumentRow> docs{document(1, 10, 1, tag(9)), document(2, 11, 0, tag(1))};
    const DocumentHistory h(docs, {assignment(2, 20, 1, tag(9))});
    REQUIRE(h.twice().size() == 1);
    CHECK(h.twice()[0].first == 1);
    CHECK(h.twice()[0].second == 2);
    CHECK(h.twice()[0].assigned);
  }
  SECTION("imported for a customer who was assigned that content before") {
    const std::vector<DocumentRow> docs{document(1, 10, 0, tag(1)), document(2, 30, 1, tag(9))};
    const DocumentHistory h(docs, {assignment(1, 20, 1, tag(9))});
    REQUIRE(h.twice().size() == 1);
    CHECK(h.twice()[0].first == 1);
    CHECK(h.twice()[0].second == 2);
    CHECK_FALSE(h.twice()[0].assigned);
  }
  SECTION("imported for that customer before the assignment: the assignment is what was refused") {
    const std::vector<DocumentRow> docs{document(1, 10, 0, tag(1)), document(2, 15, 1, tag(9))};
    const DocumentHistory h(docs, {assignment(1, 20, 1, tag(9))});
    REQUIRE(h.twice().size() == 1);
    CHECK(h.twice()[0].first == 2);
    CHECK(h.twice()[0].second == 1);
    CHECK(h.twice()[0].assigned);
  }
}

TEST_CASE("a station envelope is taken in once, for any customer", "[verify][decisions]") {
  std::vector<DocumentRow> docs{document(1, 10, 1, tag(1)), document(2, 20, 2, tag(2))};
  docs[1].blob_uid = docs[0].blob_uid;
  SECTION("the same uid and blob") {
    docs[1].blob_hash = docs[0].blob_hash;
    const DocumentHistory h(docs, {});
    REQUIRE(h.twice().size() == 1);
    CHECK(h.twice()[0].same == Twice::Same::envelope);
    CHECK(h.twice()[0].first == 1);
    CHECK(h.twice()[0].second == 2);
  }
  SECTION("the same uid and another blob: two scans") { CHECK(DocumentHistory(docs, {}).twice().empty()); }
}

TEST_CASE("a document stored twice is a problem unless its row names the first as its twin", "[verify][decisions]") {
  Twice t;
  t.first = 3;
  t.second = 7;
  t.customer = 1;
  auto p = twice_problem(t, 0);
  REQUIRE(p);
  CHECK(p->document == 7);
  CHECK(p->problem == "document stored twice");
  CHECK_THAT(p->detail, Catch::StartsWith("documents 3 and 7 both hold the same content for customer 1;") &&
                            Catch::Contains("document 7 does not name document 3") &&
                            Catch::EndsWith("altered while a command decided (and then put back)"));
  // Import and ingest store it again, naming it, while the first one's file is not in place.
  CHECK_FALSE(twice_problem(t, 3));
  CHECK(twice_problem(t, 5));  // another document as its twin
  // Assign refuses every twin.
  t.assigned = true;
  auto assigned = twice_problem(t, 3);
  REQUIRE(assigned);
  CHECK_THAT(assigned->detail, Catch::StartsWith("document 7 was assigned to customer 1 while document 3"));
  t.assigned = false;
  t.customer = 0;
  CHECK_THAT(twice_problem(t, 0)->detail, Catch::Contains("the same content without a customer"));
  t.same = Twice::Same::envelope;
  CHECK_THAT(twice_problem(t, 0)->detail, Catch::Contains("from the same station envelope"));
  CHECK_FALSE(twice_problem(t, 3));
}

TEST_CASE("an access log row names the customer its document had when it was read", "[verify][decisions]") {
  // Document 4 taken in unassigned at 10, assigned to customer 2 at 20;
  // document 5 imported for customer 3.
  const std::vector<DocumentRow> docs{document(4, 10, 0, tag(1)), document(5, 11, 3, tag(2))};
  const DocumentHistory h(docs, {assignment(4, 20, 2, tag(3))});
  CHECK(h.customer_before(4, 15) == 0);
  CHECK(h.customer_before(4, 21) == 2);
  CHECK(h.customer_before(5, 12) == 3);
  CHECK_FALSE(h.customer_before(4, 9));   // not yet stored
  CHECK_FALSE(h.customer_before(99, 30));  // no such document

  CHECK_FALSE(access_problem(h, read(1, 15, 4, 0)));
  CHECK_FALSE(access_problem(h, read(2, 25, 4, 2)));
  CHECK_FALSE(access_problem(h, read(3, 26, 5, 3)));

  auto none = access_problem(h, read(9, 30, 4, 0));
  REQUIRE(none);
  CHECK(none->document == 4);
  CHECK(none->problem == "access logged under the wrong customer");
  CHECK_THAT(none->detail, Catch::StartsWith("access log entry 9: document 4 belonged to customer 2 when it was "
                                             "read, the entry names no customer"));
  auto early = access_problem(h, read(10, 15, 4, 2));
  REQUIRE(early);
  CHECK_THAT(early->detail, Catch::Contains("document 4 had no customer when it was read, the entry names customer 2"));
  CHECK(access_problem(h, read(11, 30, 5, 2)));
}

TEST_CASE("each consent event is corrected at most once, by a later one of its customer", "[verify][decisions]") {
  // Events 1 and 2 are customer 1's, event 3 customer 2's.
  const std::map<std::int64_t, std::int64_t> customers{{1, 1}, {2, 1}, {3, 2}};
  SECTION("a chain of corrections, each once") {
    CHECK(correction_problems({{2, 1, 1}, {5, 1, 2}, {6, 2, 3}}, customers).empty());
  }
  SECTION("corrected twice") {
    auto problems = correction_problems({{5, 1, 1}, {9, 1, 1}, {7, 1, 2}}, customers);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].problem == "consent event corrected twice");
    CHECK_THAT(problems[0].detail, Catch::StartsWith("consent event 1 is corrected (or retracted) by events 5 and 9;"));
  }
  SECTION("three times") {
    auto problems = correction_problems({{5, 1, 1}, {9, 1, 1}, {12, 1, 1}}, customers);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0].detail, Catch::Contains("by events 5, 9 and 12"));
  }
  SECTION("another customer's event, a later one, one that does not exist") {
    auto problems = correction_problems({{5, 1, 3}, {2, 1, 4}, {100, 1, 99}}, customers);
    REQUIRE(problems.size() == 3);
    for (const auto& p : problems) CHECK(p.problem == "consent event altered");
    CHECK_THAT(problems[0].detail, Catch::Contains("which is customer 2's, not its own customer 1's"));
    CHECK_THAT(problems[1].detail, Catch::Contains("not an earlier one"));
    CHECK_THAT(problems[2].detail, Catch::Contains("which does not exist"));
  }
}

TEST_CASE("a copy names the lowest id of the documents holding it, and verify notes the copies",
          "[verify][decisions]") {
  CHECK(twin_for({7}) == 7);
  CHECK(twin_for({9, 3, 5}) == 3);
  // Documents 2 and 3 stored again beside 1 (3 while 1 and 2 held it), 5
  // beside 4, taken in from 4's envelope and holding its content too.
  std::vector<DocumentRow> docs{document(1, 10, 1, tag(1)), document(2, 11, 1, tag(1)), document(3, 12, 1, tag(1)),
                                document(4, 13, 0, tag(2)), document(5, 14, 0, tag(2))};
  docs[4].blob_uid = docs[3].blob_uid;
  docs[4].blob_hash = docs[3].blob_hash;
  const DocumentHistory h(docs, {});
  for (const Twice& t : h.twice()) CHECK_FALSE(twice_problem(t, t.first));
  const std::vector<std::string> notes = copies_notes(h.twice());
  REQUIRE(notes.size() == 2);
  CHECK_THAT(notes[0], Catch::StartsWith("documents 2 and 3 are copies of document 1, stored again because no "
                                         "document holding the same content for customer 1 had its encrypted file "
                                         "in place then (kaappi said so as it stored each); document 3 was stored "
                                         "while an earlier copy already stood"));
  CHECK_THAT(notes[1], Catch::StartsWith("document 5 is a copy of document 4, stored again because no document "
                                         "holding the same content without a customer had its encrypted file in "
                                         "place then (kaappi said so as it stored it). Verify cannot tell"));
  CHECK(copies_notes({}).empty());
}

TEST_CASE("a move gives a document its new customer from then on", "[verify][decisions]") {
  // Document 1 imported for customer 1 (its tag under their key) at 10,
  // moved to customer 2 at 20 and on to customer 3 at 30; document 2
  // imported unassigned at 11, assigned to customer 1 at 12, moved to
  // customer 2 at 25. Assignment ids are their own here.
  const std::vector<DocumentRow> docs{document(1, 10, 1, tag(1)), document(2, 11, 0, tag(9))};
  auto a = [](std::int64_t id, std::int64_t doc, std::int64_t seq, std::int64_t customer, const Bytes& t) {
    AssignmentRow r = assignment(doc, seq, customer, t);
    r.id = id;
    return r;
  };
  const DocumentHistory h(docs, {a(1, 2, 12, 1, tag(21)), a(2, 1, 20, 2, tag(2)), a(3, 2, 25, 2, tag(22)),
                                 a(4, 1, 30, 3, tag(3))});
  CHECK(h.customer_before(1, 15) == 1);
  CHECK(h.customer_before(1, 21) == 2);
  CHECK(h.customer_before(1, 31) == 3);
  CHECK(h.customer_before(2, 12) == 0);
  CHECK(h.customer_before(2, 13) == 1);
  CHECK(h.customer_before(2, 26) == 2);
  CHECK(h.twice().empty());
  CHECK(h.unchanged().empty());
  // A read after the move names the new customer; one naming the old is a problem.
  CHECK_FALSE(access_problem(h, read(1, 22, 1, 2)));
  auto old = access_problem(h, read(2, 22, 1, 1));
  REQUIRE(old);
  CHECK_THAT(old->detail, Catch::Contains("document 1 belonged to customer 2 when it was read, the entry names customer 1"));
  CHECK_FALSE(access_problem(h, read(3, 15, 1, 1)));

  SECTION("the old customer may take in the same content again after the move") {
    std::vector<DocumentRow> more = docs;
    more.push_back(document(3, 40, 1, tag(1)));
    const DocumentHistory again(more, {a(2, 1, 20, 2, tag(2))});
    CHECK(again.twice().empty());
  }
  SECTION("a move to a customer who holds the same content is twice") {
    std::vector<DocumentRow> more = docs;
    more.push_back(document(3, 15, 2, tag(2)));  // customer 2's own copy, before the move
    const DocumentHistory twice(more, {a(2, 1, 20, 2, tag(2))});
    REQUIRE(twice.twice().size() == 1);
    CHECK(twice.twice()[0].first == 3);
    CHECK(twice.twice()[0].second == 1);
    CHECK(twice.twice()[0].assigned);
  }
}

TEST_CASE("an assignment to the customer a document already has is a problem", "[verify][decisions]") {
  const std::vector<DocumentRow> docs{document(1, 10, 1, tag(1)), document(2, 11, 0, tag(9))};
  AssignmentRow to_own = assignment(1, 20, 1, tag(1));
  to_own.id = 5;
  AssignmentRow first = assignment(2, 21, 2, tag(8));
  first.id = 6;
  AssignmentRow again = assignment(2, 22, 2, tag(8));
  again.id = 7;
  const DocumentHistory h(docs, {to_own, first, again});
  REQUIRE(h.unchanged().size() == 2);
  CHECK(h.unchanged()[0].assignment == 5);
  CHECK(h.unchanged()[0].document == 1);
  CHECK(h.unchanged()[1].assignment == 7);
  const Problem p = unchanged_problem(h.unchanged()[0]);
  CHECK(p.problem == "assignment altered");
  CHECK(p.document == 1);
  CHECK_THAT(p.detail, Catch::StartsWith("document assignment 5 gives document 1 to customer 1, which it already "
                                         "belonged to; kaappi assign refuses that"));
}
