// customer_fields.h — what a customer record holds (register description,
// section 5) and how each field is checked.
//
// One table, customer_fields(), names every field once: its key (also the
// CLI option --KEY and the CSV column), its label, and its check. Records
// carry values by key; an absent key is an empty value. Feedback entries
// (date + text) are a list of their own. Cancellation and purchase data are
// not kept here: they live in the company's accounting (docs/REGISTER.md).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kaappi {

enum class FieldCheck {
  line,         // one line of printable text
  multiline,    // printable text; line breaks allowed (addresses, notes)
  business_id,  // Finnish Y-tunnus, normalized to 1234567-8
  email,
  phone,
  source,       // one of record_sources()
  number,       // customer number: one line, at most 64 bytes
};

struct FieldSpec {
  const char* key;    // "business-id"
  const char* label;  // "Business ID"
  FieldCheck check;
  size_t max_bytes;
  const char* help;
};

const std::vector<FieldSpec>& customer_fields();
// The field's help text, with the allowed values of a field that has a list
// (source: record_sources()).
std::string customer_field_help(const FieldSpec& spec);
// nullptr when unknown.
const FieldSpec* find_customer_field(std::string_view key);

// Where a record's data came from (register description, section 6).
const std::vector<std::string>& record_sources();

struct FeedbackEntry {
  std::string date;  // YYYY-MM-DD
  std::string text;
  bool operator==(const FeedbackEntry&) const = default;
};

struct CustomerRecord {
  std::map<std::string, std::string> values;
  std::vector<FeedbackEntry> feedback;

  const std::string& get(std::string_view key) const;
  void set(std::string_view key, std::string value);
  bool operator==(const CustomerRecord&) const = default;
};

// Without leading and trailing spaces, tabs and line breaks.
std::string trim_text(std::string value);

// Checks and normalizes one value (trimmed; empty is allowed). Throws
// ErrorKind::rejected with a message that names the field, never its value.
std::string check_customer_field(const FieldSpec& spec, std::string value);
FeedbackEntry check_feedback(FeedbackEntry entry);
// Checks every field and the required ones (number, name); drops empty values.
CustomerRecord check_customer_record(CustomerRecord record);

}  // namespace kaappi
