// scan_file_name.cpp — see scan_file_name.h.
#include "format/scan_file_name.h"

#include "base/utf8.h"

namespace kaappi {

std::string scan_file_name_problem(std::string_view name) {
  if (name.empty() || name.size() > k_scan_file_name_max_size)
    return "must be 1 to " + std::to_string(k_scan_file_name_max_size) + " bytes long";
  if (name == "." || name == "..") return "is not a file name";
  for (size_t at = 0; at < name.size();) {
    char32_t c = 0;
    if (!decode_utf8(name, at, c)) return "is not UTF-8 text";
    if (c == '/' || is_control_character(c)) return "holds a '/' or a control character";
  }
  return "";
}

std::string cleaned_scan_file_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (size_t at = 0; at < name.size();) {
    const size_t from = at;
    char32_t c = 0;
    if (!decode_utf8(name, at, c) || c == '/' || is_control_character(c)) out += '_';
    else out.append(name.substr(from, at - from));
  }
  return out;
}

}  // namespace kaappi
