// usage_error.h — how a front end words a command-line mistake: an unknown
// command or option is named with the closest valid name ("unknown command
// 'documnets'; did you mean 'documents'?"), and every usage error points to
// the help of the command that failed ("see kaappi consent set --help").
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kaappi::frontend {

// Edits (insert, delete, replace, swap two neighbours) between a and b,
// ignoring case.
std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate nearest to `word`, if one is near enough to be what was
// meant (at most a third of the word's letters differ, and at most 3).
std::optional<std::string> closest_name(const std::string& word, const std::vector<std::string>& candidates);

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
