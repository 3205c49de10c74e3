// format2_upgrade.cpp — see format2_upgrade.h.
#include "store/format2_upgrade.h"

#include <sodium.h>

#include <string_view>

#include "base/error.h"
#include "base/fault.h"
#include "store/format2_documents.h"
#include "store/format2_keys_upgrade.h"
#include "store/format2_layout_upgrade.h"
#include "store/row_hash_lists.h"
#include "store/signed_tables.h"
#include "store/statement.h"
#include "store/transactions.h"

namespace kaappi {
namespace {

void exec(sqlite3* db, const std::string& sql) { exec_sql(db, sql.c_str(), "cannot upgrade the index"); }

// "change 57 (digest abcd1234…)"
std::string change(const Format1Head& head) {
  return "change " + std::to_string(head.seq) + " (digest " + to_hex(head.digest).substr(0, 8) + "…)";
}

}  // namespace

void upgrade_format1_to_2(sqlite3* db, const UpgradeContext& context) {
  name_restores_column_as_format2(db);
  Format1Check check = check_format1_index(db, context.remembered);
  if (!check.problems.empty())
    fail(ErrorKind::corrupt, "the archive fails format 1's checks (" + check.problems.front() +
                                 (check.problems.size() > 1
                                      ? "; and " + std::to_string(check.problems.size() - 1) + " more problem(s)"
                                      : std::string()) +
                                 "), so it is not signed anew; nothing was changed. Restore it from a backup");
  if (context.remembered && !check.remembered_in_chain)
    fail(ErrorKind::corrupt, "the archive does not continue " + change(*context.remembered) +
                                 " that this machine saw (its head is change " + std::to_string(check.head.seq) +
                                 "): it was rolled back or forked, so it is not signed anew; nothing was changed. "
                                 "Upgrade the copy this machine last used");
  Bytes pk(crypto_sign_PUBLICKEYBYTES);
  crypto_sign_ed25519_sk_to_pk(pk.data(), context.key->sign_sk.data());
  if (pk != check.sign_pk) fail(ErrorKind::auth, "this key does not open the archive; nothing was changed");
  fault::point("upgrade.checked");

  for_each_signed_table([&](const auto& table) {
    if (table.in_format1()) exec(db, std::string("ALTER TABLE ") + table.name() + " DROP COLUMN sig");
  });
  exec(db, "DROP TABLE head");
  upgrade_format1_erasable_columns(db);
  exec(db, table_of<UpgradeRow>().ddl());
  exec(db, table_of<RequestRow>().ddl());
  exec(db, table_of<RequestEventRow>().ddl());
  exec(db, table_of<HoldRuleRow>().ddl());
  exec(db, table_of<HoldRow>().ddl());
  exec(db, table_of<RestrictionRow>().ddl());
  exec(db, table_of<ReadRow>().ddl());
  exec(db, table_of<DocumentKindRow>().ddl());
  exec(db, "CREATE INDEX document_kinds_by_document ON document_kinds(document_id)");
  exec(db, table_of<FormInstanceRow>().ddl());
  exec(db, transactions_ddl());
  exec(db, row_hashes_ddl());
  exec(db, "UPDATE archive SET format_version = 2 WHERE id = 1");
  // Blobs rehashed first (documents gains blob_uid), while the metadata is
  // still sealed as format 1 sealed it; the keys upgrade then records the
  // new content hashes in it and makes the duplicate tags from them.
  const std::map<std::int64_t, RehashedContent> rehashed =
      upgrade_format1_documents(db, check.archive_id, *context.key, context.archive_root);
  std::vector<CustomerKeyRow> customer_keys = upgrade_format1_keys(db, check.archive_id, *context.key, rehashed);
  mark_format1_twins(db);

  UpgradeRow row;
  row.id = 1;
  row.uid = random_bytes(16);
  row.old_seq = check.head.seq;
  row.old_digest = check.head.digest;
  row.at = context.now;
  row.seq = check.head.seq + 1;
  const auto& upgrades = table_of<UpgradeRow>();
  Statement insert(db, upgrades.insert_sql());
  upgrades.bind(insert, row);
  insert.run();
  std::int64_t last_seq = row.seq;
  const auto& keys = table_of<CustomerKeyRow>();
  Statement insert_key(db, keys.insert_sql());
  for (CustomerKeyRow& key : customer_keys) {
    key.seq = ++last_seq;
    keys.bind(insert_key, key);
    insert_key.run();
    insert_key.reset();
  }

  TransactionRow t;
  t.tx = 1;
  t.last_seq = last_seq;
  t.at = context.now;
  const Bytes hashes = row_hash_list(db, check.archive_id, 1, last_seq, read_erased_values(db));
  sign_transaction(t, check.archive_id, Bytes(32, 0), sha256(hashes), KeyFileSecrets(*context.key));
  insert_transaction(db, t);
  insert_row_hash_list(db, t.tx, hashes);
}

}  // namespace kaappi
