// usage_error.h — how a front end words a command-line mistake: an unknown
// command or option is named with the closest valid name ("unknown command
// 'documnets'; did you mean 'documents'?"), and every usage error points to
// the help of the command that failed ("see kaappi consent set --help").
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/closest_name.h"

namespace kaappi::frontend {

// The nearest valid name to a mistyped one (base/closest_name.h).
using kaappi::closest_name;
using kaappi::edit_distance;

// For a front end whose bare words are file names (kaappi-scan FILE...):
// "unknown command 'initt'; did you mean 'init'?" if `word` names no file
// but nearly names one of app's commands.
std::optional<std::string> mistyped_command(const CLI::App& app, const std::string& word);

// "kaappi consent set": the program and the subcommands `app` parsed, the
// command a usage error is about.
std::string failing_command(const CLI::App& app);

// The sentence for a parse error of `app` (after app.parse threw `error`):
// an unknown command or option first, with the nearest valid name; then
// "(see COMMAND --help)".
std::string usage_error_text(const CLI::App& app, const CLI::ParseError& error);

}  // namespace kaappi::frontend
