#include "pg_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace bb {
namespace {
using Clock = std::chrono::steady_clock;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}
}  // namespace

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

std::string PgClusterScript() {
#ifdef KEFU_PG_CLUSTER_SH
  return KEFU_PG_CLUSTER_SH;
#else
  return "/work/main/tests/pg/pg_cluster.sh";
#endif
}

// ---------------------------------------------------------------- PgCluster

PgCluster::PgCluster(bool durable) : dir_(tmp_.File("cluster")) {
  std::vector<std::string> args = {"start", dir_};
  if (durable) args.push_back("--durable");
  Run(args);
  started_ = true;
  url_ = Trim(ReadFile(dir_ + "/url"));
  if (url_.empty()) throw std::runtime_error("pg_cluster.sh start wrote no url");
}

PgCluster::~PgCluster() {
  if (!started_) return;
  try {
    Run({"stop", dir_});
  } catch (const std::exception& e) {
    std::cerr << "[harness] " << e.what() << "\n";
  }
}

void PgCluster::Run(const std::vector<std::string>& args) {
  auto r = RunProgram(PgClusterScript(), args, 180);
  if (r.exit_code != 0)
    throw std::runtime_error("pg_cluster.sh " + Join(args, " ") + " failed (" +
                             std::to_string(r.exit_code) + "): " + r.err + r.out);
}

void PgCluster::Pause(bool immediate) { Run({"pause", dir_, immediate ? "immediate" : "fast"}); }
void PgCluster::Resume() { Run({"resume", dir_}); }
std::string PgCluster::Log() const { return ReadFile(dir_ + "/log"); }

// ---------------------------------------------------------------- Process

Process::~Process() {
  if (pid_ > 0) Stop(5);
}

void Process::Start(const std::vector<std::string>& args, const std::string& log_path) {
  log_path_ = log_path;
  pid_ = SpawnWithLog(args, log_path);
}

bool Process::Alive() {
  if (pid_ <= 0) return false;
  int st = 0;
  if (waitpid(pid_, &st, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

int Process::Stop(int timeout_s) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  int st = 0;
  while (true) {
    if (waitpid(pid_, &st, WNOHANG) == pid_) break;
    if (Clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &st, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

bool ProcessAlive(pid_t pid) {
  if (pid <= 0) return false;
  // A child that exited but was not reaped is a zombie: look at its state.
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return false;
  auto close_paren = stat.rfind(')');
  if (close_paren == std::string::npos || close_paren + 2 >= stat.size()) return false;
  char state = stat[close_paren + 2];
  return state != 'Z' && state != 'X';
}

// ---------------------------------------------------------------- nginx

std::string NginxPath() {
  for (const char* p : {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"})
    if (FileExists(p)) return p;
  return "nginx";
}

std::string NginxConfFor(const std::string& deploy_conf, const std::vector<int>& upstream_ports,
                         int listen_port, int redirect_port, const std::string& dir) {
  std::istringstream in(deploy_conf);
  std::ostringstream out;
  std::string line;
  bool servers_done = false;
  int replaced = 0;
  auto indent_of = [](const std::string& l) { return l.substr(0, l.find_first_not_of(' ')); };
  auto trimmed = [](const std::string& l) {
    auto b = l.find_first_not_of(' ');
    return b == std::string::npos ? std::string() : l.substr(b);
  };
  while (std::getline(in, line)) {
    std::string t = trimmed(line);
    std::string ind = indent_of(line);
    if (line.find("# test: replaced") == std::string::npos) {
      out << line << "\n";
      if (t == "http {") {
        // Temporary files inside the test's directory.
        for (const char* k : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
          out << "    " << k << "_temp_path " << dir << "/tmp_" << k << ";\n";
      }
      continue;
    }
    ++replaced;
    if (t.starts_with("pid ")) {
      out << ind << "pid " << dir << "/nginx.pid;\n";
    } else if (t.starts_with("error_log ")) {
      out << ind << "error_log " << dir << "/error.log info;\n";
    } else if (t.starts_with("access_log ")) {
      // Keep the format name of the deploy line.
      std::string fmt;
      auto semi = t.find(';');
      auto sp = t.rfind(' ', semi);
      if (semi != std::string::npos && sp != std::string::npos && sp > 11) fmt = t.substr(sp, semi - sp);
      out << ind << "access_log " << dir << "/access.log" << fmt << ";\n";
    } else if (t.starts_with("listen ") && t.find(" ssl") != std::string::npos) {
      out << ind << "listen 127.0.0.1:" << listen_port << " ssl http2;\n";
    } else if (t.starts_with("listen ")) {
      out << ind << "listen 127.0.0.1:" << redirect_port << ";\n";
    } else if (t.starts_with("ssl_certificate ")) {
      out << ind << "ssl_certificate " << SuiteCert().cert << ";\n";
    } else if (t.starts_with("ssl_certificate_key ")) {
      out << ind << "ssl_certificate_key " << SuiteCert().key << ";\n";
    } else if (t.starts_with("server 127.0.0.1:")) {
      if (servers_done) continue;
      servers_done = true;
      // Keep the parameters of the deploy line (max_fails=…, fail_timeout=…).
      std::string params;
      auto sp = t.find(' ', 7);
      auto semi = t.find(';');
      if (sp != std::string::npos && semi != std::string::npos && sp < semi)
        params = t.substr(sp, semi - sp);
      for (int p : upstream_ports) out << ind << "server 127.0.0.1:" << p << params << ";\n";
    } else {
      throw std::runtime_error("nginx.conf: unexpected '# test: replaced' line: " + line);
    }
  }
  if (replaced < 9 || !servers_done)
    throw std::runtime_error("deploy/nginx.conf lost its '# test: replaced' lines");
  return out.str();
}

Nginx::~Nginx() {
  if (proc_.pid() > 0) proc_.Stop(5);
}

void Nginx::Start(const std::vector<int>& upstream_ports, const std::string& dir) {
  dir_ = dir;
  std::filesystem::create_directories(dir);
  // nginx's workers drop root; they need to reach the temporary directories.
  for (auto p = std::filesystem::path(dir); p.has_relative_path() && p != "/tmp" && p != "/";
       p = p.parent_path())
    chmod(p.c_str(), 0755);
#ifdef KEFU_DEPLOY_NGINX_CONF
  const std::string deploy = KEFU_DEPLOY_NGINX_CONF;
#else
  const std::string deploy = "/work/main/deploy/nginx.conf";
#endif
  std::string tmpl = ReadFile(deploy);
  if (tmpl.empty()) throw std::runtime_error("cannot read " + deploy);
  std::string last_err;
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    redirect_port_ = FreePort();
    std::string conf = dir + "/nginx.conf";
    std::ofstream(conf) << NginxConfFor(tmpl, upstream_ports, port_, redirect_port_, dir);
    proc_.Start({NginxPath(), "-c", conf, "-p", dir, "-g", "daemon off;"}, dir + "/nginx.out");
    auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
      if (!proc_.Alive()) break;
      try {
        HttpConn c(port_, 2000, true);
        c.Connect();
        return;  // listening
      } catch (const std::exception& e) {
        last_err = e.what();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
    last_err = "nginx did not start: " + ReadFile(dir + "/nginx.out") + ErrorLog();
    proc_.Stop(2);
  }
  throw std::runtime_error(last_err);
}

std::string Nginx::ErrorLog() const { return ReadFile(dir_ + "/error.log"); }
std::string Nginx::AccessLog() const { return ReadFile(dir_ + "/access.log"); }

}  // namespace bb
