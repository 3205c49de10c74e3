// config_file.cpp — see config_file.h.
#include "base/config_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "base/closest_name.h"
#include "base/error.h"
#include "base/file_io.h"
#include "base/file_kind.h"
#include "base/utf8.h"

namespace kaappi {
namespace {

std::string_view trimmed(std::string_view s) {
  constexpr std::string_view k_blanks = " \t";
  auto first = s.find_first_not_of(k_blanks);
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(k_blanks);
  return s.substr(first, last - first + 1);
}

// Why a line's bytes cannot be read as text, or empty.
std::string bad_text(std::string_view line) {
  std::size_t at = 0;
  while (at < line.size()) {
    char32_t c = 0;
    if (!decode_utf8(line, at, c)) return "is not UTF-8 text";
    if (c != '\t' && is_control_character(c)) return "holds a control character";
  }
  return {};
}

std::string with_home(const std::string& value, const std::string& where) {
  if (value.rfind("~/", 0) != 0) return value;
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home != '/') fail(ErrorKind::rejected, where + ": a value starts with ~/ but HOME is not set");
  return std::string(home) + value.substr(1);
}

}  // namespace

ConfigSettings parse_config_text(std::string_view text, const std::string& path, const std::vector<std::string>& known) {
  ConfigSettings settings;
  int number = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    const std::string where = path + ":" + std::to_string(number);
    if (std::string why = bad_text(line); !why.empty()) fail(ErrorKind::rejected, where + ": the line " + why);
    std::string_view content = trimmed(line);
    if (content.empty() || content.front() == '#') continue;
    auto equals = content.find('=');
    if (equals == std::string_view::npos)
      fail(ErrorKind::rejected, where + ": no '=' on the line (each setting is a line NAME = VALUE)");
    std::string name(trimmed(content.substr(0, equals)));
    std::string value(trimmed(content.substr(equals + 1)));
    if (name.empty()) fail(ErrorKind::rejected, where + ": no name before '='");
    bool is_known = false;
    for (const auto& k : known) is_known = is_known || k == name;
    if (!is_known) {
      std::string text = where + ": unknown setting '" + name + "'";
      if (auto near = closest_name(name, known)) text += "; did you mean '" + *near + "'?";
      fail(ErrorKind::rejected, text);
    }
    if (auto first = settings.find(name); first != settings.end())
      fail(ErrorKind::rejected,
           where + ": '" + name + "' is set twice (first on line " + std::to_string(first->second.line) + ")");
    if (value.empty()) fail(ErrorKind::rejected, where + ": '" + name + "' has no value");
    settings[name] = ConfigSetting{with_home(value, where), path, number};
  }
  return settings;
}

ConfigSettings read_config_file(const std::string& path, const std::vector<std::string>& known, IfMissing if_missing) {
  // O_NONBLOCK: a FIFO planted there opens at once, and is refused below.
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) {
      if (if_missing == IfMissing::no_settings) return {};
      fail(ErrorKind::not_found, "the settings file " + path + " does not exist");
    }
    if (errno == ELOOP) fail(ErrorKind::rejected, wrong_kind("the settings file " + path, S_IFLNK, "a regular file"));
    fail_errno("could not open the settings file " + path, PathRole::user_input);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail_errno("could not read the settings file " + path, PathRole::user_input);
  if (!S_ISREG(st.st_mode)) fail(ErrorKind::rejected, wrong_kind("the settings file " + path, st.st_mode, "a regular file"));
  // Whoever can write it decides where scans are sealed to and which key
  // checks the archive: only its reader (or root) may.
  if (st.st_uid != ::geteuid() && st.st_uid != 0)
    fail(ErrorKind::rejected, "the settings file " + path + " belongs to another user; make it yours (or root's)");
  if ((st.st_mode & 022) != 0)
    fail(ErrorKind::rejected, "the settings file " + path +
                                  " may be changed by other users; make it writable by its owner only (chmod go-w)");
  if (st.st_size > static_cast<off_t>(k_config_file_max_size))
    fail(ErrorKind::rejected, "the settings file " + path + " is larger than 64 KiB");
  std::string text(k_config_file_max_size + 1, '\0');
  std::size_t n = read_full(fd.get(), reinterpret_cast<std::uint8_t*>(text.data()), text.size(), path);
  if (n > k_config_file_max_size) fail(ErrorKind::rejected, "the settings file " + path + " is larger than 64 KiB");
  text.resize(n);
  return parse_config_text(text, path, known);
}

void override_settings(ConfigSettings& base, const ConfigSettings& over) {
  for (const auto& [name, setting] : over) base[name] = setting;
}

std::string user_config_path(const std::string& program) {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/" + program + "/config";
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return {};
  return std::string(home) + "/.config/" + program + "/config";
}

}  // namespace kaappi
