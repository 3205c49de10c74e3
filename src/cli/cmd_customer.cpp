// cmd_customer.cpp — kaappi customer add | show | list.
#include <iostream>

#include "../customers.h"
#include "../dates.h"
#include "cli.h"

namespace kaappi::cli {
namespace {

nlohmann::json to_json(const Customer& c) {
  return {{"number", c.fields.number},     {"name", c.fields.name},   {"business_id", c.fields.business_id},
          {"email", c.fields.email},       {"phone", c.fields.phone}, {"address", c.fields.address},
          {"version", c.version},          {"created", format_time(c.created_at)},
          {"changed", format_time(c.recorded_at)}};
}

void print_customer(const Customer& c) {
  auto line = [](const char* label, const std::string& value) {
    if (!value.empty()) std::cout << label << printable(value) << "\n";
  };
  line("Customer number: ", c.fields.number);
  line("Name:            ", c.fields.name);
  line("Business ID:     ", c.fields.business_id);
  line("E-mail:          ", c.fields.email);
  line("Phone:           ", c.fields.phone);
  line("Address:         ", c.fields.address);
  std::cout << "Saved:           " << format_time(c.created_at) << " (version " << c.version << ", changed "
            << format_time(c.recorded_at) << ")\n";
}

}  // namespace

void register_customer(CLI::App& app, Globals& g) {
  auto* customer = app.add_subcommand("customer", "customer records");
  customer->require_subcommand(1);

  auto f = std::make_shared<CustomerFields>();
  auto* add = customer->add_subcommand("add", "add a customer record");
  add->add_option("--number", f->number, "customer number (unique)")->required();
  add->add_option("--name", f->name, "name of the customer (company or person)")->required();
  add->add_option("--business-id", f->business_id, "Finnish business ID (Y-tunnus), e.g. 2468114-6");
  add->add_option("--email", f->email, "e-mail address");
  add->add_option("--phone", f->phone, "phone number");
  add->add_option("--address", f->address, "postal address");
  add->footer("Example:\n  kaappi customer add --number 1001 --name \"Oy Esimerkki Ab\" --business-id 2468114-6 "
              "--email info@esimerkki.fi");
  add->callback([&g, f] {
    Session s(g.archive_path(), Access::write, g.unlock_options());
    Customer c = add_customer(s, *f);
    if (g.json) print_json(to_json(c));
    else std::cout << "Added customer " << printable(c.fields.number) << "\n";
  });

  auto number = std::make_shared<std::string>();
  auto* show = customer->add_subcommand("show", "show one customer record");
  show->add_option("NUMBER", *number, "customer number")->required();
  show->footer("Example:\n  kaappi customer show 1001");
  show->callback([&g, number] {
    Session s(g.archive_path(), Access::read, g.unlock_options());
    Customer c = require_customer(s, *number);
    if (g.json) print_json(to_json(c));
    else print_customer(c);
  });

  auto* list = customer->add_subcommand("list", "list all customers");
  list->footer("Example:\n  kaappi customer list --json");
  list->callback([&g] {
    Session s(g.archive_path(), Access::read, g.unlock_options());
    auto all = list_customers(s);
    if (g.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& c : all) arr.push_back(to_json(c));
      print_json({{"customers", arr}});
      return;
    }
    if (all.empty()) std::cout << "No customers yet (kaappi customer add).\n";
    for (const auto& c : all)
      std::cout << printable(c.fields.number) << "\t" << printable(c.fields.name)
                << (c.fields.business_id.empty() ? "" : "\t" + c.fields.business_id) << "\n";
  });
}

}  // namespace kaappi::cli
