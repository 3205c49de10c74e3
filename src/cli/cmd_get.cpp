// cmd_get.cpp — kaappi get ID -o FILE --reason TEXT.
#include <unistd.h>

#include <iostream>

#include "documents/documents.h"
#include "cli/cli.h"

namespace kaappi::cli {
namespace {
struct GetArgs {
  std::int64_t id = 0;
  std::string output;
  std::string reason;
  bool force = false;
};
}  // namespace

void register_get(CLI::App& app, Globals& g) {
  auto a = std::make_shared<GetArgs>();
  auto* cmd = app.add_subcommand("get", "decrypt one document (the access is recorded with its reason)");
  cmd->add_option("ID", a->id, "document id (see kaappi documents)")->required();
  cmd->add_option("-o,--output", a->output, "output file, or - for standard output (never a terminal)")->required();
  cmd->add_option("--reason", a->reason, "why you read it; recorded in the access log")->required();
  cmd->add_flag("-f,--force", a->force, "replace an existing output file");
  cmd->footer(
      "Examples:\n"
      "  kaappi get ID -o FILE.pdf --reason \"WHY\"\n"
      "  kaappi get ID -o - --reason \"WHY\" | lp\n"
      "The file is created 0600 and appears only after every byte has authenticated.");
  cmd->callback([&g, a] {
    if (a->output == "-" && ::isatty(STDOUT_FILENO))
      fail(ErrorKind::usage, "refusing to write a PDF to the terminal; redirect it (-o - > FILE) or use -o FILE");
    GetOptions o;
    o.output = a->output;
    o.reason = a->reason;
    o.overwrite = a->force ? Overwrite::yes : Overwrite::no;
    o.quiet = g.quiet;
    check_get_request(o);
    Session s(g.archive_path(), Access::write, g.unlock_options());
    std::uint64_t bytes = get_document(s, a->id, o);
    if (a->output != "-") {
      if (g.json) print_json({{"document", a->id}, {"output", a->output}, {"size", bytes}});
      else std::cerr << "wrote document " << a->id << " to " << printable(a->output) << " (" << human_size(static_cast<std::int64_t>(bytes)) << ")\n";
    }
  });
}

}  // namespace kaappi::cli
