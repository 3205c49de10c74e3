// run_main.cpp — see run_main.h.
#include "frontend/run_main.h"

#include <sodium.h>

#include <iostream>

#include "base/error.h"
#include "base/exit_codes.h"
#include "frontend/no_core_dumps.h"
#include "frontend/printable.h"
#include "frontend/usage_error.h"
#include "frontend/version.h"

namespace kaappi::frontend {
namespace {

// An error message as kaappi writes a list into it (customer import's bad
// rows): each item starts a line of its own ("\n" and two spaces), shown as
// such; everything else is escaped as printable() does, other line breaks
// included.
std::string printable_listing(const std::string& message) {
  constexpr std::string_view k_item = "\n  ";
  std::string out;
  std::size_t from = 0;
  for (std::size_t at; (at = message.find(k_item, from)) != std::string::npos; from = at + k_item.size())
    out += printable(std::string_view(message).substr(from, at - from)) + std::string(k_item);
  return out + printable(std::string_view(message).substr(from));
}

}  // namespace

int run_main(const FrontEnd& front_end, CLI::App& app, int argc, char** argv, const std::function<int()>& run) {
  const std::string& program = front_end.program;
  forbid_core_dumps();
  if (sodium_init() < 0) {
    std::cerr << program << ": cannot initialize libsodium\n";
    return exit_code::k_internal;
  }
  app.set_version_flag("--version", program + " " + k_version, "print the version and exit");
  try {
    app.parse(argc, argv);
    return run();
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << program << ": " << printable(usage_error_text(app, e)) << "\n";
    return exit_code::k_usage;
  } catch (const Error& e) {
    std::cerr << program << ": " << printable_listing(e.message().text(front_end.flags));
    if (e.kind() == ErrorKind::usage) std::cerr << " (see " << failing_command(app) << " --help)";
    std::cerr << "\n";
    return exit_code_for(e.kind());
  } catch (const std::exception& e) {
    std::cerr << program << ": internal error: " << printable(e.what()) << "\n";
    return exit_code::k_internal;
  }
}

}  // namespace kaappi::frontend
