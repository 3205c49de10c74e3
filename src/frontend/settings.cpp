// settings.cpp — see settings.h.
#include "frontend/settings.h"

#include <cstdlib>

namespace kaappi::frontend {

Setting decide_setting(const std::string& name, const std::string& option, const std::string& env_name,
                       const ConfigSettings& file, const std::string& default_value) {
  if (!option.empty()) return {name, option, "option"};
  if (!env_name.empty()) {
    const char* env = std::getenv(env_name.c_str());
    if (env != nullptr && *env != '\0') return {name, env, "environment " + env_name};
  }
  if (auto it = file.find(name); it != file.end()) return {name, it->second.value, it->second.origin()};
  if (!default_value.empty()) return {name, default_value, "default"};
  return {name, "", "not set"};
}

std::vector<std::vector<std::string>> settings_rows(const std::vector<Setting>& settings) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : settings) rows.push_back({s.name, s.value, s.source});
  return rows;
}

}  // namespace kaappi::frontend
