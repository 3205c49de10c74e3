// cmd_station.cpp — kaappi station add | list | revoke.
#include <iostream>

#include "base/dates.h"
#include "format/key_text.h"
#include "format/station_key.h"
#include "intake/stations.h"
#include "cli/cli.h"

namespace kaappi::cli {
namespace {

nlohmann::json station_json(const Station& s) {
  return {{"name", s.name},
          {"public_key", station_public_text(s.sign_pk)},
          {"added", format_time(s.added_at)},
          {"revoked", s.revoked_at ? nlohmann::json(format_time(*s.revoked_at)) : nlohmann::json(nullptr)}};
}

}  // namespace

void register_station(CLI::App& app, Globals& g) {
  auto* station = app.add_subcommand("station", "the scanning stations whose envelopes ingest accepts");
  station->require_subcommand(1);

  struct AddArgs {
    std::string name, key;
  };
  auto a = std::make_shared<AddArgs>();
  auto* add = station->add_subcommand("add", "trust a scanning station's signing key");
  add->add_option("NAME", a->name, "the station's name")->required();
  add->add_option("KEY", a->key, "the kaappi-spk1:... key that kaappi-scan init printed on the station, or a file "
                                 "holding it")->required();
  add->footer("Example:\n  kaappi station add NAME KEY");
  add->callback([&g, a] {
    check_station_name(a->name);
    std::string key = key_text_or_file(a->key, k_station_public_prefix, Field{"station_public_key"});
    parse_station_public(key);
    Session s(g.archive_path(), Access::write, g.unlock_options());
    Station st = add_station(s, a->name, key);
    if (g.json) print_json(station_json(st));
    else std::cout << "Station '" << st.name << "' registered; ingest now accepts its envelopes.\n";
  });

  auto* list = station->add_subcommand("list", "the registered stations, revoked ones included");
  list->callback([&g] {
    Session s(g.archive_path(), Access::read, g.unlock_options());
    auto all = list_stations(s);
    if (g.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& st : all) arr.push_back(station_json(st));
      print_json({{"stations", arr}});
      return;
    }
    print_table_header({"NAME", "PUBLIC KEY", "ADDED", "STATUS"}, all.empty(),
                       "no stations yet (kaappi-scan init on the station, then kaappi station add)");
    for (const auto& st : all)
      print_row({st.name, station_public_text(st.sign_pk), format_time(st.added_at),
                 st.revoked_at ? "revoked " + format_time(*st.revoked_at) : "active"});
  });

  auto name = std::make_shared<std::string>();
  auto* revoke = station->add_subcommand("revoke", "stop accepting a station's envelopes (from now on)");
  revoke->add_option("NAME", *name, "the station's name")->required();
  revoke->footer("Envelopes it signed that are still in the inbox are refused too. Example:\n"
                 "  kaappi station revoke NAME");
  revoke->callback([&g, name] {
    Session s(g.archive_path(), Access::write, g.unlock_options());
    Station st = revoke_station(s, *name);
    if (g.json) print_json(station_json(st));
    else std::cout << "Station '" << st.name << "' revoked.\n";
  });
}

}  // namespace kaappi::cli
