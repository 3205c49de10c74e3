// register_texts.cpp — see register_texts.h.
#include "export/register_texts.h"

#include <algorithm>

#include "base/closest_name.h"
#include "base/config_file.h"
#include "base/error.h"
#include "base/file_io.h"
#include "base/languages.h"
#include "base/utf8.h"

namespace kaappi {
namespace {

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

bool has_control(std::string_view line) {
  size_t at = 0;
  char32_t c = 0;
  while (at < line.size()) {
    if (!decode_utf8(line, at, c)) return true;
    if (c != '\t' && c != '\r' && is_control_character(c)) return true;
  }
  return false;
}

const RegisterTextKey* find_key(const std::string& key) {
  for (const auto& k : register_texts_keys())
    if (key == k.key) return &k;
  return nullptr;
}

}  // namespace

const std::vector<RegisterTextKey>& register_texts_keys() {
  static const std::vector<RegisterTextKey> keys{
      {"register_name", true, false}, {"controller", true, true}, {"contact", true, true},
      {"purposes", true, true},       {"recipients", true, true}, {"transfers", false, true},
      {"sources", false, true},       {"retention", true, true},  {"security", false, true},
      {"rights", true, true},         {"authority", true, true},
  };
  return keys;
}

const std::vector<std::string>& RegisterTexts::lines(const std::string& lang, const std::string& key) const {
  static const std::vector<std::string> none;
  auto l = texts.find(lang);
  if (l == texts.end()) return none;
  auto k = l->second.find(key);
  return k == l->second.end() ? none : k->second;
}

RegisterTexts parse_register_texts(std::string_view text, const std::string& path) {
  RegisterTexts out;
  out.path = path;
  if (text.size() > k_config_file_max_size)
    fail(ErrorKind::rejected, "the register's texts " + path + " are longer than 64 KiB");
  if (!is_valid_utf8(text)) fail(ErrorKind::rejected, "the register's texts " + path + " are not UTF-8 text");
  std::vector<std::string> keys;
  for (const auto& k : register_texts_keys()) keys.emplace_back(k.key);
  std::string lang;
  int number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    ++number;
    const std::string where = path + ":" + std::to_string(number);
    const std::string line = trimmed(raw);
    if (line.empty() || line[0] == '#') {
      if (end == text.size()) break;
      continue;
    }
    if (has_control(raw)) fail(ErrorKind::rejected, where + ": control characters are not allowed");
    if (line.front() == '[') {
      if (line.back() != ']') fail(ErrorKind::rejected, where + ": a section is written [fi], [sv] or [en]");
      lang = trimmed(std::string_view(line).substr(1, line.size() - 2));
      const auto& langs = print_languages();
      if (std::find(langs.begin(), langs.end(), lang) == langs.end())
        fail(ErrorKind::rejected, where + ": the language must be fi, sv or en, not '" + lang + "'");
      if (out.texts.count(lang)) fail(ErrorKind::rejected, where + ": the section [" + lang + "] is there twice");
      out.texts[lang];
    } else {
      if (lang.empty()) fail(ErrorKind::rejected, where + ": start with a language's section: [fi], [sv] or [en]");
      const auto eq = line.find('=');
      if (eq == std::string::npos) fail(ErrorKind::rejected, where + ": a line is written key = value");
      const std::string key = trimmed(std::string_view(line).substr(0, eq));
      const std::string value = trimmed(std::string_view(line).substr(eq + 1));
      const RegisterTextKey* spec = find_key(key);
      if (spec == nullptr) {
        auto near = closest_name(key, keys);
        fail(ErrorKind::rejected, where + ": no text is called '" + key + "'" +
                                      (near ? " (did you mean " + *near + "?)" : std::string()));
      }
      if (value.empty()) fail(ErrorKind::rejected, where + ": " + key + " has no text");
      auto& lines = out.texts[lang][key];
      if (!spec->list && !lines.empty())
        fail(ErrorKind::rejected, where + ": " + key + " is one line; it is given twice in [" + lang + "]");
      lines.push_back(value);
    }
    if (end == text.size()) break;
  }
  for (const auto& l : print_languages()) {
    if (!out.texts.count(l))
      fail(ErrorKind::rejected, "the register's texts " + path + " have no section [" + l + "]: every copy's language "
                                "needs its texts");
    for (const auto& k : register_texts_keys())
      if (k.required && out.lines(l, k.key).empty())
        fail(ErrorKind::rejected, "the register's texts " + path + " have no " + k.key + " in [" + l + "]");
  }
  return out;
}

RegisterTexts read_register_texts(const std::string& path, const std::string& template_path) {
  if (path.empty() || !path_exists(path))
    fail(ErrorKind::rejected, "the register's texts are not there" + (path.empty() ? std::string() : " (" + path + ")") +
                                  ": copy the template " + template_path + " there, put your company's details in it, "
                                  "and run this again; nothing was written");
  return parse_register_texts(read_text_file(path, k_config_file_max_size + 1), path);
}

}  // namespace kaappi
