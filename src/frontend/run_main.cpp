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
    std::cerr << program << ": " << printable(e.message().text(front_end.flags));
    if (e.kind() == ErrorKind::usage) std::cerr << " (see " << failing_command(app) << " --help)";
    std::cerr << "\n";
    return exit_code_for(e.kind());
  } catch (const std::exception& e) {
    std::cerr << program << ": internal error: " << printable(e.what()) << "\n";
    return exit_code::k_internal;
  }
}

}  // namespace kaappi::frontend
