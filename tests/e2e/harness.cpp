// harness.cpp — see harness.h.
#include "harness.h"

#include <filesystem>

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "support/raw_sql.h"

namespace e2e {

std::string bin(const std::string& name) { return std::string(KAAPPI_BIN_DIR) + "/" + name; }

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string bytes_from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

bool left_in_folder(const std::string& root, const std::string& value) {
  REQUIRE(value.size() >= 16);
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const std::string hay = read_text(e.path());
    for (std::size_t at = 0; at + 16 <= value.size(); at += 8)
      if (hay.find(value.substr(at, 16)) != std::string::npos) return true;
  }
  return false;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> folder_entries(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

bool eventually(const std::function<bool()>& done, int seconds) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (done()) return true;
    ::usleep(100000);
  }
  return done();
}

std::string sha_of_file(const std::string& path) {
  std::string data = read_text(path);
  unsigned char h[32];
  crypto_generichash(h, 32, reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, h, 32);
  return hex;
}

Sandbox::Sandbox() {
  char tmpl[] = "/tmp/kaappi-e2e-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  m_dir = tmpl;
  ::mkdir((m_dir + "/home").c_str(), 0700);
  write_text(key(), read_text(std::string(KAAPPI_SOURCE_DIR) + "/keys.example"));
  ::chmod(key().c_str(), 0600);
  write_text(pass(), "kaappi-example-passphrase\n");
  // kaappi-scan's station settings: an empty file of the sandbox's, not this machine's /etc/kaappi-scan.conf.
  write_text(m_dir + "/station-settings.conf", "");
}

Sandbox::~Sandbox() {
  std::string cmd = "chmod -R u+rwx '" + m_dir + "' 2>/dev/null; rm -rf '" + m_dir + "'";
  if (std::system(cmd.c_str()) != 0) {
  }
}

static std::vector<std::string> base_env(const std::string& dir, const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env = {
      {"PATH", "/usr/bin:/bin"},
      {"HOME", dir + "/home"},
      {"XDG_CONFIG_HOME", dir + "/home/config"},
      {"XDG_STATE_HOME", dir + "/home/state"},
      {"XDG_DATA_HOME", dir + "/home/data"},
      {"KAAPPI_SCAN_CONFIG", dir + "/station-settings.conf"},
      {"LANG", "C.UTF-8"},
      {"TERM", "dumb"},
  };
  for (const char* pass : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"})
    if (const char* v = std::getenv(pass)) env[pass] = v;
  for (const auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

static int start(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& out,
                 const std::string& err, const std::string& stdin_path) {
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setsid();  // no controlling terminal: nothing can prompt
    int in = ::open(stdin_path.empty() ? "/dev/null" : stdin_path.c_str(), O_RDONLY);
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<char*> a, en;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    for (const auto& s : env) en.push_back(const_cast<char*>(s.c_str()));
    en.push_back(nullptr);
    ::execve(a[0], a.data(), en.data());
    _exit(127);
  }
  return pid;
}

Result Sandbox::run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                    const std::string& stdin_path) const {
  std::string out = m_dir + "/.out", err = m_dir + "/.err";
  int pid = start(argv, base_env(m_dir, env), out, err, stdin_path);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(out);
  r.err = read_text(err);
  ::unlink(out.c_str());
  ::unlink(err.c_str());
  return r;
}

static std::vector<std::string> kaappi_argv(const Sandbox& s, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "--passphrase-file",
                                   s.pass()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

Result Sandbox::kaappi(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) const {
  return run(kaappi_argv(*this, args), env);
}

int Sandbox::spawn_kaappi(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) const {
  return start(kaappi_argv(*this, args), base_env(m_dir, env), m_dir + "/.spawn-out", m_dir + "/.spawn-err", "");
}

int Sandbox::spawn(const std::vector<std::string>& argv, const std::string& out_path,
                   const std::map<std::string, std::string>& env) const {
  return start(argv, base_env(m_dir, env), out_path, out_path + ".err", "");
}

void Sandbox::copy_from(const Sandbox& source) {
  std::string cmd = "rm -rf '" + m_dir + "'/* && cp -a '" + source.m_dir + "'/. '" + m_dir + "'/";
  REQUIRE(std::system(cmd.c_str()) == 0);
}

void Sandbox::init_archive_with_customer() {
  Result r = kaappi({"init", "--reuse-key"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  r = kaappi({"customer", "add", "--number", "1001", "--name", "Oy Testiasiakas Ab", "--business-id", "2468114-6",
              "--email", "anna.asiakas@example.fi", "--phone", "+358 40 123 4567", "--address", "Ebban tie 24, Porvoo"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

void Sandbox::init_archive_with_station(const std::string& station_key) {
  init_archive_with_customer();
  write_text(path("archive.pub"), kaappi({"key", "public"}).out);
  register_station("desk", station_key);
}

void Sandbox::register_station(const std::string& name, const std::string& station_key) {
  std::vector<std::string> argv = {bin("kaappi-scan"), "init", "--station", name, "--json"};
  if (!station_key.empty()) argv.insert(argv.end(), {"--station-key", station_key});
  Result init = run(argv);
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  Result add = kaappi({"station", "add", name, nlohmann::json::parse(init.out)["public_key"]});
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
}

std::string Sandbox::make_pdf(const std::string& name, const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {bin("make_scan_pdf"), path(name)};
  argv.insert(argv.end(), args.begin(), args.end());
  Result r = run(argv);
  REQUIRE(r.exit_code == 0);
  return path(name);
}

std::vector<long> Sandbox::import(const std::vector<std::string>& files, const std::string& kind,
                                  const std::string& customer) {
  std::vector<std::string> args = {"import"};
  args.insert(args.end(), files.begin(), files.end());
  args.insert(args.end(), {"--customer", customer, "--kind", kind});
  Result r = kaappi(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<long> ids;
  std::regex re("as document ([0-9]+)");
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), re), end; it != end; ++it) ids.push_back(std::stol((*it)[1]));
  REQUIRE(ids.size() == files.size());
  return ids;
}

std::string Sandbox::archive_fingerprint(Contents contents) const {
  std::vector<std::string> lines;
  std::function<void(const std::string&)> walk = [&](const std::string& d) {
    DIR* dir = ::opendir(d.c_str());
    if (!dir) return;
    while (dirent* e = ::readdir(dir)) {
      std::string n = e->d_name;
      if (n == "." || n == ".." || n == "index.sqlite-shm") continue;
      if (contents == Contents::files_only && n.rfind("index.sqlite", 0) == 0) continue;
      std::string p = d + "/" + n;
      struct stat st {};
      ::lstat(p.c_str(), &st);
      if (S_ISDIR(st.st_mode)) {
        lines.push_back(p + "/");
        walk(p);
      } else {
        lines.push_back(p + " " + std::to_string(st.st_size) + " " + sha_of_file(p));
      }
    }
    ::closedir(dir);
  };
  walk(archive());
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

void sql(const Sandbox& s, const std::string& statement) {
  kaappi::test::raw_sql(s.archive() + "/index.sqlite", statement);
}

std::string sql_value(const Sandbox& s, const std::string& query) {
  return kaappi::test::raw_sql_value(s.archive() + "/index.sqlite", query);
}

std::string blob_of(const Sandbox& s, long id) {
  std::string hex = sql_value(s, "SELECT lower(hex(uid)) FROM documents WHERE id = " + std::to_string(id));
  REQUIRE(hex.size() == 32);
  return s.archive() + "/blobs/" + hex.substr(0, 2) + "/" + hex + ".blob";
}

void check_refusals(const Sandbox& s, const std::vector<Refusal>& refusals, const std::function<void()>& after) {
  for (const Refusal& c : refusals) {
    Result r = s.kaappi(c.args, c.env);
    std::string command;
    for (const auto& a : c.args) command += " " + a;
    INFO("kaappi" + command + ": " + r.err);
    CHECK(r.exit_code == c.exit_code);
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK(r.out.empty());
    if (after) after();
  }
}

void check_verifies_clean(const Sandbox& s) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"verify"}, {"verify", "--full"}}) {
    Result v = s.kaappi(args);
    INFO(args.back() + ": " + v.out + v.err);
    CHECK(v.exit_code == 0);
  }
}

void kaappi_ok(const Sandbox& s, const std::vector<std::string>& args) {
  Result r = s.kaappi(args);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

void scan_as_desk(const Sandbox& s, const std::string& pdf) {
  const std::string copy = pdf + ".scan.pdf";
  std::filesystem::copy_file(pdf, copy, std::filesystem::copy_options::overwrite_existing);
  Result r = s.run({bin("kaappi-scan"), copy, "--public-key", s.path("archive.pub"), "--inbox",
                    s.archive() + "/inbox", "--station", "desk"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

Result stopped_at(const Sandbox& s, const std::vector<std::string>& argv, const std::string& point,
                  const std::function<void()>& meanwhile) {
  const std::string out = s.path("run.out");
  int pid = s.spawn(argv, out, {{"KAAPPI_FAULT", point + ":stop"}});
  int status = 0;
  REQUIRE(::waitpid(pid, &status, WUNTRACED) == pid);
  REQUIRE(WIFSTOPPED(status));
  meanwhile();
  ::kill(pid, SIGCONT);
  while (::waitpid(pid, &status, 0) == pid && !WIFEXITED(status) && !WIFSIGNALED(status)) {
  }
  Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(out);
  r.err = read_text(out + ".err");
  return r;
}

std::vector<nlohmann::json> items_where(const nlohmann::json& list,
                                        const std::function<bool(const nlohmann::json&)>& matches) {
  std::vector<nlohmann::json> found;
  for (const auto& item : list)
    if (matches(item)) found.push_back(item);
  return found;
}

std::vector<nlohmann::json> items_where(const nlohmann::json& list, const std::string& field,
                                        const nlohmann::json& value) {
  return items_where(list, [&](const nlohmann::json& item) { return item.contains(field) && item[field] == value; });
}

std::string pdf_text(const Sandbox& s, const std::string& pdf) {
  Result r = s.run({"/usr/bin/pdftotext", "-enc", "UTF-8", pdf, "-"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string joined;
  for (char c : r.out) {
    const bool blank = c == '\n' || c == ' ' || c == '\f';
    if (!blank || (!joined.empty() && joined.back() != ' ')) joined += blank ? ' ' : c;
  }
  return joined;
}

}  // namespace e2e
