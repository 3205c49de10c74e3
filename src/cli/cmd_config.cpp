// cmd_config.cpp — kaappi config show: each setting's value in effect and
// where it came from (Globals::setting decides them).
#include <iostream>

#include "cli/cli.h"

namespace kaappi::cli {

void register_config(CLI::App& app, Globals& g) {
  auto* config = app.add_subcommand("config", "the settings file: what is in effect and where it came from");
  config->require_subcommand(1);
  config->footer("Settings are plain NAME = VALUE lines in ~/.config/kaappi/config ($XDG_CONFIG_HOME/kaappi/config),\n"
                 "or in the file KAAPPI_CONFIG names; # starts a comment line. An option wins over an environment\n"
                 "variable, which wins over the file, which wins over the built-in default.\n"
                 "Example:\n  kaappi config show");

  auto* show = config->add_subcommand("show", "every setting, its value in effect and where it came from");
  show->footer("Each setting's source: option, environment KAAPPI_..., FILE:LINE, default, or not set.\n"
               "Examples:\n"
               "  kaappi config show\n"
               "  kaappi --archive /srv/archive config show --json\n"
               "  KAAPPI_CONFIG=/etc/kaappi/office.conf kaappi config show");
  show->callback([&g] {
    std::vector<frontend::Setting> settings;
    for (const auto& name : Globals::setting_names()) settings.push_back(g.setting(name));
    if (g.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& s : settings)
        arr.push_back({{"name", s.name},
                       {"value", s.is_set() ? nlohmann::json(s.value) : nlohmann::json(nullptr)},
                       {"source", s.source}});
      print_json({{"config_file", g.config_file.empty() ? nlohmann::json(nullptr) : nlohmann::json(g.config_file)},
                  {"settings", arr}});
      return;
    }
    print_table_header({"NAME", "VALUE", "SOURCE"}, false, "");
    for (const auto& row : frontend::settings_rows(settings)) print_row(row);
    if (!g.config_file.empty())
      std::cerr << "kaappi: settings file " << printable(g.config_file)
                << (path_exists(g.config_file) ? "" : " (not there: no settings from a file)") << "\n";
  });
}

}  // namespace kaappi::cli
