// settings.h — the one rule of which value of a setting is in effect, for
// kaappi and kaappi-scan alike: a command-line option, else an environment
// variable, else a settings file (base/config_file.h), else the built-in
// default; and where that value came from, as `config show` says it.
// Pure functions (they read the environment); safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "base/config_file.h"

namespace kaappi::frontend {

struct Setting {
  std::string name;
  std::string value;   // empty: not set
  std::string source;  // "option", "environment KAAPPI_X", "FILE:LINE", "default" or "not set"
  bool is_set() const { return !value.empty(); }
};

// Setting `name`'s value in effect: `option` (the command line's value,
// empty when not given), else the environment variable `env_name` (none when
// empty; an empty variable counts as not set), else `file`'s setting of
// `name`, else `default_value` (empty: not set).
Setting decide_setting(const std::string& name, const std::string& option, const std::string& env_name,
                       const ConfigSettings& file, const std::string& default_value);

// The rows of `config show`'s table, each NAME, VALUE, SOURCE ("" for a value not set).
std::vector<std::vector<std::string>> settings_rows(const std::vector<Setting>& settings);

}  // namespace kaappi::frontend
