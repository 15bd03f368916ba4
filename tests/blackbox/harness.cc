#include "harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <random>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace bb {
namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

struct IgnoreSigpipe {
  IgnoreSigpipe() { signal(SIGPIPE, SIG_IGN); }
} ignore_sigpipe;

std::string Lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

const std::map<std::string, std::pair<int, std::string>>& ErrorTable() {
  static const std::map<std::string, std::pair<int, std::string>> t = {
      {"API_001", {400, "param is invalid,please check your param is correct!"}},
      {"API_002", {401, "token is invalid"}},
      {"API_003", {403, "tenantId is incorrect,please confirm that the tenant ID belongs to you"}},
      {"API_004", {401, "clientId or secretId is incorrect"}},
      {"API_020", {400, "Request body contains more than 10 visitor usernames."}},
      {"API_101", {500, "create agent user is failed"}},
      {"API_102", {400, "agent nicename must not empty!"}},
      {"API_103", {409, "agent user already exist"}},
      {"API_104", {404, "agent user not exist,please check username is correct"}},
      {"API_105",
       {403, "agent user not belong your tenant,please check username and tenantId is correct"}},
      {"API_106", {400, "roleId must not empty"}},
      {"API_107", {400, "api add role is failed,please check roleId is valid"}},
      {"API_108", {400, "password must be not empty and length greater 7."}},
      {"API_109", {409, "Can not remove only amdin"}},
      {"API_110", {409, "Can not remove agent,The agent has processing servicesession."}},
      {"API_111", {400, "page index must be more than 0."}},
      {"API_112", {400, "page size must be less than 50."}},
      {"API_201", {404, "service session not found"}},
      {"API_202", {409, "service session state does not allow this"}},
      {"API_203", {403, "not your service session"}},
      {"API_204", {401, "username or password is incorrect"}},
      {"API_205", {404, "skill group, channel, tag or visitor not found"}},
      {"API_206", {409, "service session already rated"}},
      {"API_400", {503, "api request failed"}},
      {"API_404", {404, "no such endpoint"}},
      {"API_405", {405, "method not allowed"}},
      {"API_408", {503, "query took too long"}},
      {"API_413", {413, "request body too large"}},
      {"API_426", {426, "upgrade required"}},
      {"API_429", {429, "too many requests"}},
      {"API_431", {431, "request header fields too large"}},
      {"API_500", {500, "internal server error"}},
  };
  return t;
}

}  // namespace

std::string ErrorDescription(std::string_view code) {
  auto it = ErrorTable().find(std::string(code));
  return it == ErrorTable().end() ? std::string("?") : it->second.second;
}
int ErrorHttpStatus(std::string_view code) {
  auto it = ErrorTable().find(std::string(code));
  return it == ErrorTable().end() ? 0 : it->second.first;
}

const std::vector<std::string>& AgentKeys() {
  static const std::vector<std::string> k = {
      "tenantId",       "userId",     "userType",       "userScope",
      "nicename",       "password",   "username",       "roles",
      "createDateTime", "lastUpdateDateTime", "status", "state",
      "maxServiceSessionCount", "trueName", "mobilePhone", "agentNumber",
      "agentType",      "language",   "timeZone",       "roleList",
      "scope",          "bizId",      "onLineState",    "currentOnLineState"};
  return k;
}

std::string KefudPath() {
#ifdef KEFUD_PATH
  return KEFUD_PATH;
#else
  return "/work/main/build/kefud";
#endif
}

// ---------------------------------------------------------------- processes

CmdResult RunKefud(const std::vector<std::string>& args, int timeout_s,
                   const std::vector<std::string>& env) {
  return RunProgram(KefudPath(), args, timeout_s, env);
}

CmdResult RunProgram(const std::string& path, const std::vector<std::string>& args,
                     int timeout_s, const std::vector<std::string>& env) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  std::vector<std::string> argv_s = {path};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    for (auto& e : env) putenv(const_cast<char*>(e.c_str()));
    execvp(path.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  CmdResult r;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  bool killed = false;
  while (open_fds > 0) {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (left <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    int n = poll(fds, 2, left);
    if (n < 0 && errno == EINTR) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0) continue;
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[8192];
        ssize_t k = read(fds[i].fd, buf, sizeof buf);
        if (k > 0) {
          (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(k));
        } else {
          close(fds[i].fd);
          fds[i].fd = -1;
          --open_fds;
        }
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int st = 0;
  waitpid(pid, &st, 0);
  if (killed) r.err += "\n[harness: killed after timeout]";
  r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
  return r;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/kefu-bb-XXXXXX";
  char* p = mkdtemp(tmpl);
  if (!p) throw std::runtime_error("mkdtemp failed");
  path_ = p;
}
TempDir::~TempDir() {
  if (std::getenv("KEFU_BB_KEEP")) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return {};
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

Server::~Server() {
  if (pid_ > 0) Stop(5);
}

void Server::Start(const std::string& db, const std::string& log_path,
                   const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:0", "--db", db};
  args.insert(args.end(), extra.begin(), extra.end());
  StartArgs(args, log_path);
}

pid_t SpawnWithLog(std::vector<std::string> args, const std::string& log_path,
                   const std::vector<std::string>& env) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int logfd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (logfd < 0) throw std::runtime_error("cannot open log " + log_path);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(logfd, 1);
    dup2(logfd, 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    for (auto& e : env) putenv(const_cast<char*>(e.c_str()));
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(logfd);
  return pid;
}

void Server::StartArgs(const std::vector<std::string>& args, const std::string& log_path,
                       const std::vector<std::string>& env) {
  log_path_ = log_path;
  std::string path = KefudPath();
  std::vector<std::string> argv_s = {path};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  tls_ = std::find(args.begin(), args.end(), "--tls-cert") != args.end();
  if (!tls_ && TestOverTls() && !args.empty() && args[0] == "serve") {
    argv_s.insert(argv_s.end(), {"--tls-cert", SuiteCert().cert, "--tls-key", SuiteCert().key});
    tls_ = true;
  }
  pid_ = SpawnWithLog(argv_s, log_path, env);
  std::regex re(R"(listening on 127\.0\.0\.1:([0-9]+))");
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (true) {
    std::string log = ReadFile(log_path);
    std::smatch m;
    if (std::regex_search(log, m, re)) {
      port_ = std::stoi(m[1]);
      break;
    }
    int st = 0;
    if (waitpid(pid_, &st, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("kefud serve exited early; log:\n" + log);
    }
    if (Clock::now() > deadline) {
      Stop(2);
      throw std::runtime_error("kefud serve printed no 'listening on' line in 10 s; log:\n" + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Wait for /healthz.
  deadline = Clock::now() + std::chrono::seconds(10);
  std::string last;
  while (Clock::now() < deadline) {
    try {
      HttpConn c(port_, 3000, tls_);
      Response r = c.Request("GET", "/healthz");
      if (r.status == 200) return;
      last = Describe(r);
    } catch (const std::exception& e) {
      last = e.what();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("/healthz never answered 200: " + last);
}

int Server::Stop(int timeout_s) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  int st = 0;
  while (true) {
    pid_t w = waitpid(pid_, &st, WNOHANG);
    if (w == pid_) break;
    if (Clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &st, 0);
      pid_ = -1;
      return -SIGKILL;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

// ---------------------------------------------------------------- HTTP

std::string Response::Header(std::string_view name) const {
  std::string n = Lower(name);
  for (auto& [k, v] : headers)
    if (Lower(k) == n) return v;
  return {};
}
bool Response::HasHeader(std::string_view name) const {
  std::string n = Lower(name);
  for (auto& [k, v] : headers)
    if (Lower(k) == n) return true;
  return false;
}

std::string Describe(const Response& r) {
  std::string s = "HTTP " + std::to_string(r.status);
  for (auto& [k, v] : r.headers) s += "\n  " + k + ": " + v;
  std::string b = r.body.size() > 2000 ? r.body.substr(0, 2000) + "…" : r.body;
  s += "\n  body: " + b;
  return s;
}

HttpConn::HttpConn(int port, int timeout_ms, bool tls) : port_(port), timeout_ms_(timeout_ms), tls_(tls) {}
HttpConn::~HttpConn() { Close(); }

void HttpConn::Connect() {
  Close();
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port_));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    int e = errno;
    Close();
    throw std::runtime_error(std::string("connect failed: ") + std::strerror(e));
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  pending_.clear();
  if (tls_) {
    try {
      tls_client_ = std::make_unique<TlsClient>(fd_, Clock::now() + std::chrono::milliseconds(timeout_ms_));
    } catch (...) {
      Close();
      throw;
    }
  }
}

void HttpConn::Close() {
  if (tls_client_) tls_client_->Shutdown();
  tls_client_.reset();
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  pending_.clear();
}

ssize_t HttpConn::ReadSome(char* buf, size_t size, Clock::time_point deadline) {
  if (tls_client_) {
    ssize_t n = tls_client_->ReadSome(buf, size, deadline);
    return n < 0 ? -2 : n;
  }
  for (;;) {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (left <= 0) return -2;
    pollfd pf{fd_, POLLIN, 0};
    int pr = poll(&pf, 1, left);
    if (pr < 0 && errno == EINTR) continue;
    if (pr == 0) return -2;
    ssize_t k = recv(fd_, buf, size, 0);
    if (k < 0 && errno == EINTR) continue;
    return k;
  }
}

bool HttpConn::SendRaw(std::string_view bytes) {
  if (fd_ < 0) Connect();
  size_t off = 0;
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms_);
  if (tls_client_) return tls_client_->WriteAll(bytes.data(), bytes.size(), deadline);
  while (off < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n > 0) {
      off += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      int left = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
      if (left <= 0 || poll(&p, 1, left) <= 0) return false;
      continue;
    }
    return false;
  }
  return true;
}

Response HttpConn::ReadResponse() {
  if (fd_ < 0) throw std::runtime_error("ReadResponse: not connected");
  http::response_parser<http::string_body> p;
  p.eager(true);
  p.body_limit(256ull * 1024 * 1024);
  p.header_limit(1024 * 1024);
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms_);
  boost::system::error_code ec;
  while (!p.is_done()) {
    if (!pending_.empty()) {
      size_t n = p.put(boost::asio::buffer(pending_.data(), pending_.size()), ec);
      if (ec == http::error::need_more) ec = {};
      if (ec) throw std::runtime_error("bad HTTP response: " + ec.message() + " in: " + pending_);
      pending_.erase(0, n);
      if (p.is_done()) break;
      if (n > 0) continue;
    }
    char buf[65536];
    ssize_t k = ReadSome(buf, sizeof buf, deadline);
    if (k == -2) throw std::runtime_error("timeout waiting for HTTP response");
    if (k <= 0) {
      int e = errno;
      if (p.is_header_done() || !pending_.empty()) {
        p.put_eof(ec);
        if (!ec && p.is_done()) break;
      }
      Close();
      throw std::runtime_error(std::string("connection closed before a full response") +
                               (k < 0 ? std::string(": ") + std::strerror(e) : std::string()));
    }
    pending_.append(buf, static_cast<size_t>(k));
  }
  auto& msg = p.get();
  Response r;
  r.status = static_cast<int>(msg.result_int());
  for (auto& f : msg) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  r.body = msg.body();
  r.keep_alive = msg.keep_alive();
  if (!r.keep_alive) Close();
  return r;
}

Response HttpConn::Request(std::string_view method, std::string_view target, std::string_view body,
                           const Headers& headers, bool always_length) {
  if (fd_ < 0) Connect();
  std::string req;
  req.reserve(256 + body.size());
  req.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  bool has_host = false, has_ct = false;
  for (auto& [k, v] : headers) {
    if (Lower(k) == "host") has_host = true;
    if (Lower(k) == "content-type") has_ct = true;
  }
  if (!has_host) req += "Host: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  for (auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() && !has_ct) req += "Content-Type: application/json\r\n";
  if (!body.empty() || always_length) req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req.append(body);
  if (!SendRaw(req)) {
    // The server may have answered before reading the whole body (API_413) and
    // closed: that answer can still be in the receive buffer.
    if (fd_ >= 0) {
      try {
        return ReadResponse();
      } catch (const std::exception&) {
      }
    }
    // A stale keep-alive connection: retry once on a fresh one.
    Connect();
    if (!SendRaw(req)) throw std::runtime_error("send failed");
  }
  return ReadResponse();
}

Response HttpConn::Raw(std::string_view bytes) {
  if (fd_ < 0) Connect();
  SendRaw(bytes);
  return ReadResponse();
}

bool HttpConn::PeerClosed(int wait_ms) {
  if (fd_ < 0) return true;
  auto deadline = Clock::now() + std::chrono::milliseconds(wait_ms);
  while (true) {
    char buf[4096];
    ssize_t k = ReadSome(buf, sizeof buf, deadline);
    if (k == -2) return false;
    if (k <= 0) {
      Close();
      return true;
    }
    // Ignore unexpected bytes; keep waiting for EOF.
  }
}

// ---------------------------------------------------------------- JSON

rapidjson::Document ParseJson(std::string_view text) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  return d;
}

std::vector<std::string> Keys(const rapidjson::Value& v) {
  std::vector<std::string> k;
  if (!v.IsObject()) return k;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
    k.emplace_back(it->name.GetString(), it->name.GetStringLength());
  return k;
}

std::string Compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

std::string JsonQuote(std::string_view s) {
  std::string r = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': r += "\\\""; break;
      case '\\': r += "\\\\"; break;
      case '\n': r += "\\n"; break;
      case '\r': r += "\\r"; break;
      case '\t': r += "\\t"; break;
      default:
        if (c < 0x20) {
          char b[8];
          snprintf(b, sizeof b, "\\u%04x", c);
          r += b;
        } else {
          r += static_cast<char>(c);
        }
    }
  }
  return r + "\"";
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string r;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) r += sep;
    r += v[i];
  }
  return r;
}

std::string Obj(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string r = "{";
  bool first = true;
  for (auto& [k, v] : members) {
    if (!first) r += ",";
    first = false;
    r += JsonQuote(k) + ":" + v;
  }
  return r + "}";
}

std::string PercentEncode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string r;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '~' || c == '@') {
      r += static_cast<char>(c);
    } else {
      r += '%';
      r += hex[c >> 4];
      r += hex[c & 15];
    }
  }
  return r;
}

// ---------------------------------------------------------------- assertions

bool MatchesRegex(const std::string& s, const std::string& re) {
  return std::regex_match(s, std::regex(re));
}

::testing::AssertionResult HasJsonContentType(const Response& r) {
  std::string ct = r.Header("Content-Type");
  if (ct != kJsonContentType)
    return ::testing::AssertionFailure()
           << "Content-Type is '" << ct << "', want '" << kJsonContentType << "'\n"
           << Describe(r);
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsError(const Response& r, std::string_view code) {
  return IsError(r, ErrorHttpStatus(code), code);
}

::testing::AssertionResult IsError(const Response& r, int http_status, std::string_view code) {
  auto fail = [&](const std::string& why) {
    return ::testing::AssertionFailure()
           << "want HTTP " << http_status << " " << code << ": " << why << "\n"
           << Describe(r);
  };
  if (r.status != http_status) return fail("status differs");
  if (auto ct = HasJsonContentType(r); !ct) return fail("bad Content-Type");
  auto d = ParseJson(r.body);
  if (d.HasParseError() || !d.IsObject()) return fail("body is not a JSON object");
  auto keys = Keys(d);
  std::vector<std::string> want = {"status", "errorCode", "errorDescription"};
  std::vector<std::string> want_detail = {"status", "errorCode", "errorDescription", "errorDetail"};
  if (keys != want && keys != want_detail) return fail("keys are [" + Join(keys) + "]");
  if (!d["status"].IsString() || std::string(d["status"].GetString()) != "FAIL")
    return fail("status is not \"FAIL\"");
  if (!d["errorCode"].IsString() || std::string(d["errorCode"].GetString()) != code)
    return fail("errorCode differs");
  if (!d["errorDescription"].IsString() ||
      std::string(d["errorDescription"].GetString()) != ErrorDescription(code))
    return fail("errorDescription is not '" + ErrorDescription(code) + "'");
  if (d.HasMember("errorDetail") && !d["errorDetail"].IsString())
    return fail("errorDetail is not a string");
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsBareOk(const Response& r) {
  if (r.status != 200) return ::testing::AssertionFailure() << "want 200\n" << Describe(r);
  if (auto ct = HasJsonContentType(r); !ct) return ct;
  auto d = ParseJson(r.body);
  if (d.HasParseError() || Compact(d) != R"({"status":"OK"})")
    return ::testing::AssertionFailure() << "want exactly {\"status\":\"OK\"}\n" << Describe(r);
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsOk(const Response& r) {
  if (r.status != 200) return ::testing::AssertionFailure() << "want 200\n" << Describe(r);
  if (auto ct = HasJsonContentType(r); !ct) return ct;
  auto d = ParseJson(r.body);
  if (d.HasParseError() || !d.IsObject() || d.MemberCount() == 0)
    return ::testing::AssertionFailure() << "not a JSON object\n" << Describe(r);
  auto it = d.MemberBegin();
  if (std::string(it->name.GetString()) != "status" || !it->value.IsString() ||
      std::string(it->value.GetString()) != "OK")
    return ::testing::AssertionFailure() << "first member is not \"status\":\"OK\"\n" << Describe(r);
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsAgentObject(const rapidjson::Value& v) {
  auto fail = [&](const std::string& why) {
    return ::testing::AssertionFailure() << "bad agent object: " << why << "\n" << Compact(v);
  };
  if (!v.IsObject()) return fail("not an object");
  if (Keys(v) != AgentKeys())
    return fail("keys [" + Join(Keys(v)) + "]\n want [" + Join(AgentKeys()) + "]");
  auto str = [&](const char* k) { return v[k].IsString(); };
  for (const char* k : {"userId", "userType", "userScope", "nicename", "password", "username",
                        "roles", "createDateTime", "lastUpdateDateTime", "status", "state",
                        "trueName", "mobilePhone", "agentNumber", "agentType", "language",
                        "timeZone", "scope", "bizId", "onLineState", "currentOnLineState"})
    if (!str(k)) return fail(std::string(k) + " is not a string");
  if (!v["tenantId"].IsInt()) return fail("tenantId is not an int");
  if (!v["maxServiceSessionCount"].IsInt()) return fail("maxServiceSessionCount is not an int");
  auto s = [&](const char* k) { return std::string(v[k].GetString()); };
  if (!MatchesRegex(s("userId"), "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
    return fail("userId is not a lowercase UUID");
  if (s("userType") != "Agent") return fail("userType");
  if (s("userScope") != "Tenant") return fail("userScope");
  if (s("password") != "") return fail("password is not empty");
  const std::string dt = R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})";
  if (!MatchesRegex(s("createDateTime"), dt)) return fail("createDateTime format");
  if (!MatchesRegex(s("lastUpdateDateTime"), dt)) return fail("lastUpdateDateTime format");
  if (s("lastUpdateDateTime") < s("createDateTime")) return fail("lastUpdate before create");
  if (s("status") != "Enable" && s("status") != "Disable") return fail("status");
  static const std::vector<std::string> states = {"Online", "Busy", "Leave", "Hidden", "Offline"};
  if (std::find(states.begin(), states.end(), s("state")) == states.end()) return fail("state");
  if (s("status") == "Disable" && s("state") != "Offline") return fail("disabled but not Offline");
  if (s("onLineState") != s("state") || s("currentOnLineState") != s("state"))
    return fail("onLineState/currentOnLineState differ from state");
  int msc = v["maxServiceSessionCount"].GetInt();
  if (msc < 0 || msc > 100) return fail("maxServiceSessionCount out of 0..100");
  if (s("agentType") != "Message") return fail("agentType");
  if (s("language") != "zh_CN") return fail("language");
  if (!MatchesRegex(s("timeZone"), R"(UTC[+-]\d{1,2}(:\d{2})?|UTC)")) return fail("timeZone");
  if (s("scope") != "Tenant") return fail("scope");
  if (s("bizId") != std::to_string(v["tenantId"].GetInt())) return fail("bizId != tenantId");
  const auto& rl = v["roleList"];
  if (!rl.IsArray() || rl.Size() != 1) return fail("roleList is not a one-element array");
  if (Keys(rl[0]) != std::vector<std::string>{"role_id", "role_name"})
    return fail("roleList[0] keys");
  if (!rl[0]["role_id"].IsInt() || !rl[0]["role_name"].IsString())
    return fail("roleList[0] types");
  int rid = rl[0]["role_id"].GetInt();
  std::string rname = rl[0]["role_name"].GetString();
  if (rid == 1 && rname != "admin") return fail("role 1 is not admin");
  if (rid == 2 && rname != "agent") return fail("role 2 is not agent");
  std::string want_roles = rid == 2 ? "agent" : rname + ",agent";
  if (s("roles") != want_roles) return fail("roles is not '" + want_roles + "'");
  return ::testing::AssertionSuccess();
}

std::string NowInZone(int offset_hours) {
  time_t t = time(nullptr) + offset_hours * 3600;
  tm tmv;
  gmtime_r(&t, &tmv);
  char b[32];
  strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tmv);
  return b;
}

long long ParseDateTime(const std::string& s) {
  tm tmv{};
  if (sscanf(s.c_str(), "%d-%d-%d %d:%d:%d", &tmv.tm_year, &tmv.tm_mon, &tmv.tm_mday,
             &tmv.tm_hour, &tmv.tm_min, &tmv.tm_sec) != 6)
    return -1;
  tmv.tm_year -= 1900;
  tmv.tm_mon -= 1;
  return static_cast<long long>(timegm(&tmv));
}

// ---------------------------------------------------------------- PostgreSQL

namespace {

std::string TrimNl(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

struct PgConn {
  PGconn* c = nullptr;
  explicit PgConn(const std::string& url) {
    c = PQconnectdb(url.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
      std::string e = PQerrorMessage(c);
      PQfinish(c);
      c = nullptr;
      throw std::runtime_error("libpq: cannot connect to " + url + ": " + TrimNl(e));
    }
    PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  }
  ~PgConn() { PQfinish(c); }
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;
  // Runs sql; throws unless it succeeded. Caller PQclear()s.
  PGresult* Exec(const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string e = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error("libpq: " + sql.substr(0, 200) + ": " + TrimNl(e));
    }
    return r;
  }
};

std::string QuoteIdent(const std::string& name) {
  std::string r = "\"";
  for (char ch : name) {
    if (ch == '"') r += '"';
    r += ch;
  }
  return r + "\"";
}

std::string RandomHex(int n) {
  static thread_local std::mt19937_64 rng{std::random_device{}() ^
                                          static_cast<uint64_t>(getpid()) << 32 ^
                                          static_cast<uint64_t>(Clock::now().time_since_epoch().count())};
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < n; ++i) s += hex[rng() % 16];
  return s;
}

}  // namespace

bool OnPostgres() { return !PgUrlPrefix().empty(); }

std::string PgUrlPrefix() {
  static const std::string prefix = [] {
    const char* f = std::getenv("KEFU_TEST_PG_URL_FILE");
    if (!f || !*f) return std::string();
    std::string u = TrimNl(ReadFile(f));
    if (u.empty())
      throw std::runtime_error(std::string("KEFU_TEST_PG_URL_FILE=") + f +
                               " is missing or empty: did the blackbox_pg_setup fixture run?");
    return u;
  }();
  return prefix;
}

std::string PgClusterDir() {
  const char* f = std::getenv("KEFU_TEST_PG_URL_FILE");
  if (!f || !*f) return {};
  return std::filesystem::path(f).parent_path().string();
}

bool IsPgUrl(std::string_view db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

std::string PgUrlWithDb(const std::string& url_prefix, const std::string& db) {
  // The prefix has no path: postgresql://user@host:port
  return url_prefix + "/" + db;
}

std::vector<std::vector<std::string>> PgExec(const std::string& url, const std::string& sql) {
  PgConn c(url);
  PGresult* r = c.Exec(sql);
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < PQntuples(r); ++i) {
    std::vector<std::string> row;
    for (int j = 0; j < PQnfields(r); ++j)
      row.push_back(PQgetisnull(r, i, j) ? std::string("\\N")
                                         : std::string(PQgetvalue(r, i, j),
                                                       static_cast<size_t>(PQgetlength(r, i, j))));
    rows.push_back(std::move(row));
  }
  PQclear(r);
  return rows;
}

namespace {

std::string PgSnapshot(const std::string& url, const std::vector<std::string>& skip_tables);

// Template of the pool: a database `kefud migrate` made, and its snapshot (kept
// in table kefu_test_template of database postgres). Made once per cluster by
// the first test that needs it, under an advisory lock.
const std::string& TemplateSnapshot(const std::string& prefix) {
  static std::mutex mu;
  static std::map<std::string, std::string> cache;
  std::lock_guard<std::mutex> l(mu);
  auto it = cache.find(prefix);
  if (it != cache.end()) return it->second;
  PgConn c(PgUrlWithDb(prefix, "postgres"));
  PQclear(c.Exec("SELECT pg_advisory_lock(4242, 0)"));
  std::string snap;
  try {
    PQclear(c.Exec("CREATE TABLE IF NOT EXISTS kefu_test_template (snapshot text NOT NULL)"));
    PGresult* r = c.Exec("SELECT snapshot FROM kefu_test_template");
    if (PQntuples(r) == 1) snap = PQgetvalue(r, 0, 0);
    PQclear(r);
    if (snap.empty()) {
      PQclear(c.Exec("DROP DATABASE IF EXISTS kefu_template WITH (FORCE)"));
      PQclear(c.Exec("CREATE DATABASE kefu_template"));
      std::string url = PgUrlWithDb(prefix, "kefu_template");
      auto m = RunKefud({"migrate", "--db", url}, 120);
      if (m.exit_code != 0)
        throw std::runtime_error("kefud migrate --db " + url + " failed (" +
                                 std::to_string(m.exit_code) + "): " + m.err);
      snap = PgSnapshot(url, {});
      const char* params[1] = {snap.c_str()};
      PGresult* ins = PQexecParams(c.c, "INSERT INTO kefu_test_template VALUES ($1)", 1, nullptr,
                                   params, nullptr, nullptr, 0);
      bool ok = PQresultStatus(ins) == PGRES_COMMAND_OK;
      std::string e = PQresultErrorMessage(ins);
      PQclear(ins);
      if (!ok) throw std::runtime_error("libpq: saving the template snapshot: " + e);
    }
  } catch (...) {
    PQclear(PQexec(c.c, "SELECT pg_advisory_unlock(4242, 0)"));
    throw;
  }
  PQclear(c.Exec("SELECT pg_advisory_unlock(4242, 0)"));
  return cache[prefix] = snap;
}

// Tables that hold no row in the snapshot ("== NAME (0 rows)").
std::vector<std::string> EmptyTablesOf(const std::string& snapshot) {
  std::vector<std::string> names;
  std::istringstream in(snapshot);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("== ") || !line.ends_with(" (0 rows)")) continue;
    names.push_back(line.substr(3, line.size() - 3 - 9));
  }
  return names;
}

// Empties a pool database back to the template's rows; false when that is not
// possible (someone is connected, or the check against the template fails).
bool ResetPoolDb(const std::string& url, const std::string& name, const std::string& tmpl,
                 std::string* why) {
  try {
    PgConn c(url);
    // The backends of the previous user's kefud may take a moment to exit.
    bool busy = true;
    for (int i = 0; i < 100 && busy; ++i) {
      if (i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      PGresult* r = c.Exec(
          "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
          "pg_backend_pid()");
      busy = std::string(PQgetvalue(r, 0, 0)) != "0";
      PQclear(r);
    }
    if (busy) {
      *why = "still in use";
      return false;
    }
    std::string sql = "BEGIN; SET LOCAL session_replication_role = replica;";
    for (auto& t : EmptyTablesOf(tmpl)) sql += "DELETE FROM public." + QuoteIdent(t) + ";";
    PQclear(c.Exec(sql));
    PGresult* r = c.Exec(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences "
        "WHERE last_value IS NOT NULL");
    sql.clear();
    for (int i = 0; i < PQntuples(r); ++i) sql += std::string("ALTER SEQUENCE ") + PQgetvalue(r, i, 0) + " RESTART;";
    PQclear(r);
    sql += "COMMIT";
    PQclear(c.Exec(sql));
  } catch (const std::exception& e) {
    *why = e.what();
    return false;
  }
  std::string now = PgSnapshot(url, {});
  if (now != tmpl) {
    *why = "differs from the template after emptying:\n" +
           std::string(SameSnapshot(tmpl, now).message());
    return false;
  }
  (void)name;
  return true;
}

}  // namespace

TestDb::TestDb(const TempDir& dir, const std::string& file_name, Kind kind) {
  if (!OnPostgres()) {
    url_ = dir.File(file_name);
    return;
  }
  pg_prefix_ = PgUrlPrefix();
  // KEFU_TEST_PG_FRESH_DB=1: a new database for every test (slower; every
  // test then also runs the migration from nothing).
  const char* fresh = std::getenv("KEFU_TEST_PG_FRESH_DB");
  if (kind == kRecycled && !(fresh && *fresh && std::string(fresh) != "0")) {
    ClaimRecycled();
    return;
  }
  pg_name_ = "kefu_t_" + RandomHex(16);
  drop_ = true;
  PQclear(PgConn(PgUrlWithDb(pg_prefix_, "postgres")).Exec("CREATE DATABASE " + pg_name_));
  url_ = PgUrlWithDb(pg_prefix_, pg_name_);
}

void TestDb::ClaimRecycled() {
  const std::string& tmpl = TemplateSnapshot(pg_prefix_);
  std::string admin_url = PgUrlWithDb(pg_prefix_, "postgres");
  auto c = std::make_unique<PgConn>(admin_url);
  auto try_lock = [&](const std::string& name) {
    PGresult* r = c->Exec("SELECT pg_try_advisory_lock(4243, hashtext('" + name + "'))");
    bool got = std::string(PQgetvalue(r, 0, 0)) == "t";
    PQclear(r);
    return got;
  };
  PGresult* r = c->Exec(
      "SELECT datname FROM pg_database WHERE datname LIKE 'kefu\\_pool\\_%' ORDER BY random()");
  std::vector<std::string> names;
  for (int i = 0; i < PQntuples(r); ++i) names.emplace_back(PQgetvalue(r, i, 0));
  PQclear(r);
  for (auto& name : names) {
    if (!try_lock(name)) continue;
    // The lock may come from a test that died; the database may even be gone.
    std::string why;
    if (ResetPoolDb(PgUrlWithDb(pg_prefix_, name), name, tmpl, &why)) {
      pg_name_ = name;
      break;
    }
    std::cerr << "[harness] pool database " << name << " not reusable (" << why << "); dropping it\n";
    try {
      PQclear(c->Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    } catch (const std::exception& e) {
      std::cerr << "[harness] " << e.what() << "\n";
    }
    PQclear(c->Exec("SELECT pg_advisory_unlock(4243, hashtext('" + name + "'))"));
  }
  if (pg_name_.empty()) {
    // A new pool database, locked before it exists so that nobody else takes it.
    std::string name = "kefu_pool_" + RandomHex(12);
    if (!try_lock(name)) throw std::runtime_error("cannot lock a new pool database name");
    PQclear(c->Exec("CREATE DATABASE " + name + " TEMPLATE kefu_template"));
    pg_name_ = name;
  }
  url_ = PgUrlWithDb(pg_prefix_, pg_name_);
  claim_ = c->c;
  c->c = nullptr;  // kept open: the advisory lock lasts as long as this connection
}

std::unique_ptr<TestDb> TestDb::OnCluster(const std::string& url_prefix) {
  std::unique_ptr<TestDb> d(new TestDb());
  d->pg_prefix_ = url_prefix;
  d->pg_name_ = "kefu_t_" + RandomHex(16);
  d->drop_ = true;
  PQclear(PgConn(PgUrlWithDb(url_prefix, "postgres")).Exec("CREATE DATABASE " + d->pg_name_));
  d->url_ = PgUrlWithDb(url_prefix, d->pg_name_);
  return d;
}

TestDb::~TestDb() {
  // A claimed pool database is emptied by its next user; closing releases it.
  if (claim_) PQfinish(claim_);
  if (!drop_ || std::getenv("KEFU_BB_KEEP")) return;
  try {
    PQclear(PgConn(PgUrlWithDb(pg_prefix_, "postgres"))
                .Exec("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)"));
  } catch (const std::exception& e) {
    // The cluster may be gone already (a test that stopped its own cluster).
    std::cerr << "[harness] could not drop " << pg_name_ << ": " << e.what() << "\n";
  }
}

std::string TestDb::Bytes() const {
  if (pg_name_.empty()) {
    std::string b;
    for (const char* suffix : {"", "-wal", "-journal", "-shm"}) b += ReadFile(url_ + suffix);
    return b;
  }
  std::string pg_dump = "/usr/lib/postgresql/15/bin/pg_dump";
  if (!FileExists(pg_dump)) pg_dump = "pg_dump";
  auto r = RunProgram(pg_dump, {"--data-only", "--no-owner", "-d", url_}, 120);
  if (r.exit_code != 0) throw std::runtime_error("pg_dump failed: " + r.err);
  return r.out;
}

// ---------------------------------------------------------------- store

namespace {

std::string PgSnapshot(const std::string& url, const std::vector<std::string>& skip_tables) {
  PgConn c(url);
  // One snapshot for every table, as SQLite's read transaction.
  PQclear(c.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  std::vector<std::string> names;
  {
    PGresult* r = c.Exec(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE \"C\"");
    for (int i = 0; i < PQntuples(r); ++i) names.emplace_back(PQgetvalue(r, i, 0));
    PQclear(r);
  }
  std::string out;
  for (auto& name : names) {
    if (std::find(skip_tables.begin(), skip_tables.end(), name) != skip_tables.end()) continue;
    // Rows are sorted here rather than with ORDER BY every column: json columns
    // have no ordering operator.
    PGresult* r = c.Exec("SELECT * FROM public." + QuoteIdent(name));
    std::vector<std::string> rows;
    int cols = PQnfields(r);
    for (int i = 0; i < PQntuples(r); ++i) {
      std::string row;
      for (int j = 0; j < cols; ++j) {
        if (j) row += " | ";
        row += PQfname(r, j);
        row += "=";
        if (PQgetisnull(r, i, j))
          row += "NULL";
        else
          row += "'" + std::string(PQgetvalue(r, i, j), static_cast<size_t>(PQgetlength(r, i, j))) + "'";
      }
      rows.push_back(std::move(row));
    }
    PQclear(r);
    std::sort(rows.begin(), rows.end());
    out += "== " + name + " (" + std::to_string(rows.size()) + " rows)\n";
    for (auto& row : rows) out += row + "\n";
  }
  PQclear(c.Exec("COMMIT"));
  return out;
}

struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      std::string e = db ? sqlite3_errmsg(db) : "open failed";
      sqlite3_close(db);
      db = nullptr;
      throw std::runtime_error("snapshot: cannot open " + path + ": " + e);
    }
    sqlite3_busy_timeout(db, 5000);
  }
  ~Db() { sqlite3_close(db); }
};
}  // namespace

std::vector<std::string> TableNames(const std::string& db_path) {
  if (IsPgUrl(db_path)) {
    std::vector<std::string> names;
    for (auto& row : PgExec(db_path,
                            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                            "'public' AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE \"C\""))
      names.push_back(row[0]);
    return names;
  }
  Db d(db_path);
  std::vector<std::string> names;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(d.db,
                         "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                         "'sqlite_%' ORDER BY name",
                         -1, &st, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("snapshot: ") + sqlite3_errmsg(d.db));
  while (sqlite3_step(st) == SQLITE_ROW)
    names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  return names;
}

std::string StoredPasswordHash(const std::string& db_path, const std::string& username) {
  if (IsPgUrl(db_path)) {
    std::string quoted = "'";
    for (char c : username) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    quoted += "'";
    auto rows = PgExec(db_path, "SELECT password_hash FROM agents WHERE lower(username) = lower(" +
                                    quoted + ")");
    return rows.empty() ? "" : rows[0][0];
  }
  Db d(db_path);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(d.db, "SELECT password_hash FROM agents WHERE lower(username) = lower(?1)", -1,
                         &st, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("password hash: ") + sqlite3_errmsg(d.db));
  sqlite3_bind_text(st, 1, username.data(), static_cast<int>(username.size()), SQLITE_TRANSIENT);
  std::string hash;
  if (sqlite3_step(st) == SQLITE_ROW)
    hash = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return hash;
}

bool PasswordMatches(const std::string& hash, const std::string& password) {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string Argon2Cost(const std::string& hash) {
  static const std::regex re(R"(^\$argon2id\$v=19\$(m=[0-9]+,t=[0-9]+,p=[0-9]+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$)");
  std::smatch m;
  return std::regex_match(hash, m, re) ? m[1].str() : "";
}

std::string Snapshot(const std::string& db_path, const std::vector<std::string>& skip_tables) {
  if (IsPgUrl(db_path)) return PgSnapshot(db_path, skip_tables);
  auto names = TableNames(db_path);
  Db d(db_path);
  // One read transaction so all tables come from the same moment.
  sqlite3_exec(d.db, "BEGIN", nullptr, nullptr, nullptr);
  std::string out;
  for (auto& name : names) {
    if (std::find(skip_tables.begin(), skip_tables.end(), name) != skip_tables.end()) continue;
    std::string sql = "SELECT * FROM \"" + name + "\"";
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(d.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("snapshot: ") + sqlite3_errmsg(d.db));
    std::vector<std::string> rows;
    int cols = sqlite3_column_count(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < cols; ++i) {
        if (i) row += " | ";
        row += sqlite3_column_name(st, i);
        row += "=";
        switch (sqlite3_column_type(st, i)) {
          case SQLITE_NULL: row += "NULL"; break;
          case SQLITE_INTEGER: row += std::to_string(sqlite3_column_int64(st, i)); break;
          case SQLITE_FLOAT: row += std::to_string(sqlite3_column_double(st, i)); break;
          case SQLITE_TEXT:
            row += "'" + std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)),
                                     static_cast<size_t>(sqlite3_column_bytes(st, i))) + "'";
            break;
          default: {
            const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(st, i));
            int n = sqlite3_column_bytes(st, i);
            static const char* hex = "0123456789abcdef";
            row += "x'";
            for (int j = 0; j < n; ++j) {
              row += hex[p[j] >> 4];
              row += hex[p[j] & 15];
            }
            row += "'";
          }
        }
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
      std::string e = sqlite3_errmsg(d.db);
      sqlite3_finalize(st);
      throw std::runtime_error("snapshot: " + e);
    }
    sqlite3_finalize(st);
    std::sort(rows.begin(), rows.end());
    out += "== " + name + " (" + std::to_string(rows.size()) + " rows)\n";
    for (auto& r : rows) out += r + "\n";
  }
  sqlite3_exec(d.db, "COMMIT", nullptr, nullptr, nullptr);
  return out;
}

::testing::AssertionResult SameSnapshot(const std::string& before, const std::string& after) {
  if (before == after) return ::testing::AssertionSuccess();
  auto lines = [](const std::string& s) {
    std::vector<std::string> v;
    std::istringstream in(s);
    std::string l;
    while (std::getline(in, l)) v.push_back(l);
    return v;
  };
  auto a = lines(before), b = lines(after);
  std::set<std::string> sa(a.begin(), a.end()), sb(b.begin(), b.end());
  auto f = ::testing::AssertionFailure();
  f << "store changed:";
  for (auto& l : a)
    if (!sb.count(l)) f << "\n  - " << l;
  for (auto& l : b)
    if (!sa.count(l)) f << "\n  + " << l;
  return f;
}

// ---------------------------------------------------------------- fixture

void KefuTest::SetUp() {
  dir_ = std::make_unique<TempDir>();
  store_ = std::make_unique<TestDb>(*dir_, "kefu.db");
  db_ = store_->url();
}

void KefuTest::TearDown() {
  http_.reset();
  if (server_.running()) {
    int rc = server_.Stop(15);
    EXPECT_EQ(rc, 0) << "kefud did not exit 0 on SIGTERM; log:\n" << server_.Log();
  }
  if (HasFailure() && !dir_->path().empty()) {
    std::string log = ReadFile(dir_->File("kefud.log"));
    if (log.size() > 6000) log = "…" + log.substr(log.size() - 6000);
    std::cerr << "---- kefud log (tail) ----\n" << log << "\n--------------------------\n";
  }
  store_.reset();
  dir_.reset();
}

CmdResult KefuTest::Cli(std::vector<std::string> args) {
  args.push_back("--db");
  args.push_back(db_);
  return RunKefud(args);
}

void KefuTest::Demo(int agents) {
  // No generated history: agent tests need agents only, and snapshots stay small.
  auto r = Cli({"demo", "--agents", std::to_string(agents), "--sessions", "0"});
  if (r.exit_code != 0)
    throw std::runtime_error("kefud demo failed (" + std::to_string(r.exit_code) + "): " + r.err);
}

static TenantCreds ParseCreds(const CmdResult& r, const std::string& what) {
  if (r.exit_code != 0)
    throw std::runtime_error(what + " failed (" + std::to_string(r.exit_code) + "): " + r.err);
  auto d = ParseJson(r.out);
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("tenantId") || !d["tenantId"].IsInt() ||
      !d.HasMember("clientId") || !d["clientId"].IsString() || !d.HasMember("secretId") ||
      !d["secretId"].IsString())
    throw std::runtime_error(what + ": unexpected output: " + r.out);
  return {d["tenantId"].GetInt(), d["clientId"].GetString(), d["secretId"].GetString()};
}

TenantCreds KefuTest::CreateTenant(const std::string& name, int id, const std::string& tz) {
  std::vector<std::string> a = {"tenant", "create", "--name", name};
  if (id) a.insert(a.end(), {"--id", std::to_string(id)});
  if (!tz.empty()) a.insert(a.end(), {"--timezone", tz});
  return ParseCreds(Cli(a), "tenant create");
}

TenantCreds KefuTest::AddCredential(int tenant) {
  return ParseCreds(Cli({"credential", "add", "--tenant", std::to_string(tenant)}),
                    "credential add");
}

void KefuTest::RevokeCredential(const std::string& client_id) {
  auto r = Cli({"credential", "revoke", "--client-id", client_id});
  if (r.exit_code != 0) throw std::runtime_error("credential revoke failed: " + r.err);
}

int KefuTest::CreateRole(int tenant, const std::string& name, const std::string& description) {
  std::vector<std::string> a = {"role", "create", "--tenant", std::to_string(tenant), "--name", name};
  if (!description.empty()) a.insert(a.end(), {"--description", description});
  auto r = Cli(a);
  if (r.exit_code != 0) throw std::runtime_error("role create failed: " + r.err);
  auto d = ParseJson(r.out);
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("role_id") || !d["role_id"].IsInt())
    throw std::runtime_error("role create: unexpected output: " + r.out);
  return d["role_id"].GetInt();
}

void KefuTest::StartServer(const std::vector<std::string>& extra) {
  server_.Start(db_, dir_->File("kefud.log"), extra);
  http_ = NewConn();
}

HttpConn& KefuTest::http() {
  if (!http_) throw std::runtime_error("server not started");
  return *http_;
}

std::string KefuTest::IssueToken(int tenant, const std::string& client_id,
                                 const std::string& secret_id) {
  auto r = http().Request("POST", "/api/tenants/" + std::to_string(tenant) + "/accessToken",
                          Obj({{"clientId", S(client_id)}, {"secretId", S(secret_id)}}));
  auto d = ParseJson(r.body);
  if (r.status != 200 || d.HasParseError() || !d.IsObject() || !d.HasMember("entity") ||
      !d["entity"].IsObject() || !d["entity"].HasMember("accessToken") ||
      !d["entity"]["accessToken"].IsString())
    throw std::runtime_error("token request failed: " + Describe(r));
  return d["entity"]["accessToken"].GetString();
}

std::string KefuTest::DemoToken() {
  if (demo_token_.empty()) demo_token_ = IssueToken(1, kDemoClientId, kDemoSecretId);
  return demo_token_;
}

Response KefuTest::Call(std::string_view method, std::string_view target, std::string_view body,
                        const std::string& token) {
  Headers h;
  if (!token.empty()) h.emplace_back("Kefu-Token", token);
  return http().Request(method, target, body, h);
}

Response KefuTest::AddAgent(int tenant, const std::string& token, const std::string& username,
                            int role_id, const std::string& password,
                            const std::string& extra_members) {
  // No duplicate keys: a nicename in extra_members replaces the default.
  std::string body = std::string("{") +
                     (extra_members.find("\"nicename\"") == std::string::npos ? "\"nicename\":\"nick\"," : "") +
                     "\"username\":" + S(username) + ",\"password\":" + S(password) +
                     ",\"roleId\":" + std::to_string(role_id);
  if (!extra_members.empty()) body += "," + extra_members;
  body += "}";
  return Call("POST", "/api/tenants/" + std::to_string(tenant) + "/agent", body, token);
}

void KefuTest::ExpectRejected(std::string_view method, const std::string& target,
                              const std::string& body, const std::string& token,
                              std::string_view code) {
  std::string before = Snap();
  Headers h;
  if (!token.empty()) h.emplace_back("Kefu-Token", token);
  auto r = http().Request(method, target, body, h, method != "GET");
  EXPECT_TRUE(IsError(r, code)) << method << " " << target << " body: " << body;
  EXPECT_TRUE(SameSnapshot(before, Snap()))
      << "rejected " << method << " " << target << " body: " << body;
}

void KefuTest::MustAddAgent(int tenant, const std::string& token, const std::string& username,
                            int role_id, const std::string& extra_members) {
  auto r = AddAgent(tenant, token, username, role_id, "password123", extra_members);
  if (r.status != 200) throw std::runtime_error("add agent " + username + " failed: " + Describe(r));
}

rapidjson::Document KefuTest::Search(int tenant, const std::string& token,
                                     const std::string& query) {
  std::string target = "/api/tenants/" + std::to_string(tenant) + "/agents";
  if (!query.empty()) target += "?" + query;
  auto r = Get(target, token);
  if (r.status != 200) throw std::runtime_error("search failed: " + target + "\n" + Describe(r));
  auto d = ParseJson(r.body);
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("entities") || !d["entities"].IsArray())
    throw std::runtime_error("search: bad body: " + r.body);
  return d;
}

std::optional<std::string> KefuTest::FindAgentJson(int tenant, const std::string& token,
                                                   const std::string& username) {
  auto d = Search(tenant, token, "size=50&keyValue=" + PercentEncode(username));
  for (auto& a : d["entities"].GetArray()) {
    if (a.HasMember("username") && a["username"].IsString() &&
        Lower(a["username"].GetString()) == Lower(username))
      return Compact(a);
  }
  return std::nullopt;
}

}  // namespace bb
