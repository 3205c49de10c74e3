// register_texts.h — the register's fixed texts that an inspection copy
// states (register description, sections 1-4, 6-9): who the controller is,
// whom to contact, the register's purposes, recipients and retention, the
// person's rights and the supervisory authority, in Finnish, Swedish and
// English. The key holder writes them once in a small text file
// (docs/INSPECTION.md, "The register's texts"; a template filled from the
// register description ships as register-texts.example).
//
// The file: UTF-8 text of at most 64 KiB. Blank lines and lines whose first
// non-blank character is `#` are ignored. `[fi]`, `[sv]` and `[en]` start a
// language's section; each line in a section is `key = value`. A key given
// on several lines makes a list (one purpose, recipient, rule... a line).
// Every language has every required key (register_texts_keys()). Refused
// (ErrorKind::rejected, naming the file and line): a line outside a section,
// an unknown language or key, a line without `=` or with an empty value,
// bytes that are not UTF-8 or control characters, a language or a required
// key missing. Pure functions apart from the reading; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kaappi {

struct RegisterTextKey {
  const char* key;
  bool required;
  bool list;  // may be given on several lines
};
// register_name, controller, contact, purposes, recipients, transfers,
// sources, retention, security, rights, authority — in the order the report prints them.
const std::vector<RegisterTextKey>& register_texts_keys();

struct RegisterTexts {
  std::string path;
  // language -> key -> its lines
  std::map<std::string, std::map<std::string, std::vector<std::string>>> texts;
  // The lines of `key` in `lang` (empty when an optional key is not given).
  const std::vector<std::string>& lines(const std::string& lang, const std::string& key) const;
};

RegisterTexts parse_register_texts(std::string_view text, const std::string& path);
// The file at `path`. Missing: ErrorKind::rejected, saying to copy
// `template_path` there and fill it in.
RegisterTexts read_register_texts(const std::string& path, const std::string& template_path);

}  // namespace kaappi
