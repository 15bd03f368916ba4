#include "connection_support.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace bb {
namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

}  // namespace

// ---------------------------------------------------------------- processes

long long MsSince(Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - t).count();
}

rlim_t RaiseDescriptorLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
  if (rl.rlim_cur < rl.rlim_max) {
    rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) return rl.rlim_cur;
  }
  return rl.rlim_max;
}

long StatusKib(pid_t pid, const std::string& field) {
  std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

long MaxOpenFiles(pid_t pid) {
  std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/limits"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Max open files", 0) != 0) continue;
    std::istringstream f(line.substr(std::strlen("Max open files")));
    std::string soft;
    f >> soft;
    return soft == "unlimited" ? LONG_MAX : std::atol(soft.c_str());
  }
  return -1;
}

int OpenDescriptors(pid_t pid) {
  std::error_code ec;
  int n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

RssWatch::RssWatch(pid_t p) : pid(p), baseline_kib(StatusKib(p, "VmRSS")), peak_kib(baseline_kib) {}

void RssWatch::Sample(bool force) {
  if (!force && Clock::now() - last < milliseconds(200)) return;
  last = Clock::now();
  peak_kib = std::max(peak_kib, StatusKib(pid, "VmRSS"));
}

// ---------------------------------------------------------------- HTTP bytes

struct ResponseStream::Parser {
  http::response_parser<http::string_body> p;
};

ResponseStream::ResponseStream() = default;
ResponseStream::~ResponseStream() = default;
ResponseStream::ResponseStream(ResponseStream&&) noexcept = default;
ResponseStream& ResponseStream::operator=(ResponseStream&&) noexcept = default;

bool ResponseStream::Feed(std::string_view bytes) {
  if (!error_.empty()) return false;
  pending_.append(bytes);
  size_t off = 0;
  while (off < pending_.size()) {
    if (!parser_) {
      parser_ = std::make_unique<Parser>();
      parser_->p.eager(true);
      parser_->p.body_limit(64 * 1024 * 1024);
    }
    boost::system::error_code ec;
    size_t n = parser_->p.put(boost::asio::buffer(pending_.data() + off, pending_.size() - off), ec);
    if (ec == http::error::need_more) ec = {};
    if (ec) {
      error_ = ec.message() + " in: " + pending_.substr(off, 300);
      return false;
    }
    off += n;
    if (parser_->p.is_done()) {
      auto& msg = parser_->p.get();
      Response r;
      r.status = static_cast<int>(msg.result_int());
      for (auto& f : msg) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      r.body = std::move(msg.body());
      r.keep_alive = msg.keep_alive();
      done_.push_back(std::move(r));
      parser_.reset();
    } else if (n == 0) {
      break;
    }
  }
  pending_.erase(0, off);
  return true;
}

std::optional<Response> ResponseStream::Next() {
  if (done_.empty()) return std::nullopt;
  Response r = std::move(done_.front());
  done_.pop_front();
  return r;
}

bool ResponseStream::Partial() const { return !pending_.empty() || (parser_ && parser_->p.got_some()); }

::testing::AssertionResult OnlyJson4xx(const std::string& bytes) {
  ResponseStream s;
  if (!s.Feed(bytes)) return ::testing::AssertionFailure() << "not HTTP: " << s.error();
  while (auto r = s.Next()) {
    if (r->status < 400 || r->status > 499)
      return ::testing::AssertionFailure() << "answered with a non-4xx: " << Describe(*r);
    if (auto ok = HasJsonContentType(*r); !ok) return ok;
    auto d = ParseJson(r->body);
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("errorCode"))
      return ::testing::AssertionFailure() << "not the JSON error envelope: " << Describe(*r);
  }
  if (s.Partial()) return ::testing::AssertionFailure() << "an answer cut short: " << bytes.substr(0, 300);
  return ::testing::AssertionSuccess();
}

int ConnectNonBlocking(int port, int rcvbuf) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// ---------------------------------------------------------------- clients

BystanderClient::BystanderClient(int port, std::string token)
    : thread_([this, port, token] {
        while (!stop_) {
          try {
            HttpConn c(port, 10000);
            auto r = c.Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", token}});
            if (auto ok = IsOk(r); ok) {
              ++ok_;
            } else {
              Fail(ok.message());
            }
          } catch (const std::exception& e) {
            Fail(e.what());
          }
          std::this_thread::sleep_for(milliseconds(100));
        }
      }) {}

void BystanderClient::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::string BystanderClient::Failures() {
  std::lock_guard<std::mutex> l(mu_);
  return Join(failures_, "\n---\n");
}

void BystanderClient::Fail(const std::string& what) {
  std::lock_guard<std::mutex> l(mu_);
  failures_.push_back(what);
}

void RunTricklers(int port, std::vector<Trickler>& ts, milliseconds interval, seconds limit) {
  const auto start = Clock::now();
  for (auto& t : ts) {
    t.fd = ConnectNonBlocking(port);
    t.next = start;
    if (t.fd < 0) {
      t.closed_after_ms = 0;
      t.how_closed = "connect failed";
    }
  }
  auto close_one = [&](Trickler& t, const std::string& how) {
    t.closed_after_ms = MsSince(start);
    t.how_closed = how;
    close(t.fd);
    t.fd = -1;
  };
  // How many of the bytes went out (0 while the connect is still under way).
  auto write_some = [&](Trickler& t, std::string_view bytes) -> size_t {
    ssize_t n = send(t.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) return static_cast<size_t>(n);
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ENOTCONN)
      close_one(t, std::string("send: ") + std::strerror(errno));
    return 0;
  };
  while (Clock::now() - start < limit) {
    std::vector<pollfd> pfds;
    std::vector<Trickler*> who;
    for (auto& t : ts) {
      if (t.fd < 0) continue;
      pfds.push_back({t.fd, POLLIN, 0});
      who.push_back(&t);
    }
    if (pfds.empty()) return;
    poll(pfds.data(), pfds.size(), 20);
    for (size_t i = 0; i < pfds.size(); ++i) {
      Trickler& t = *who[i];
      if (!(pfds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t k = recv(t.fd, buf, sizeof buf, 0);
      if (k > 0) {
        t.received.append(buf, static_cast<size_t>(k));
      } else if (k == 0) {
        close_one(t, "EOF");
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        close_one(t, std::string("recv: ") + std::strerror(errno));
      }
    }
    const auto now = Clock::now();
    for (auto& t : ts) {
      if (t.fd < 0 || now < t.next) continue;
      if (!t.prefix.empty()) {
        t.prefix.erase(0, write_some(t, t.prefix));
        t.next = now + interval;
        continue;
      }
      if (t.drip.empty()) continue;
      size_t i = t.cycle ? t.dripped % t.drip.size() : std::min(t.dripped, t.drip.size() - 1);
      t.dripped += write_some(t, std::string_view(t.drip).substr(i, 1));
      t.next = now + interval;
    }
  }
  for (auto& t : ts) {
    if (t.fd >= 0) {
      close(t.fd);
      t.fd = -1;
    }
  }
}

// ---------------------------------------------------------------- the crowd

Crowd::Crowd(int port, std::string token, std::vector<std::string> targets, std::vector<std::string> expected)
    : port_(port), token_(std::move(token)), targets_(std::move(targets)), expected_(std::move(expected)) {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
}

Crowd::~Crowd() {
  CloseAll();
  if (epfd_ >= 0) close(epfd_);
}

void Crowd::CloseAll() {
  for (auto& c : conns_) Drop(c);
}

bool Crowd::Open(Kind kind, int n) {
  for (int i = 0; i < n; ++i) {
    Conn c;
    c.kind = kind;
    c.fd = ConnectNonBlocking(port_);
    if (c.fd < 0) {
      Fail(c, std::string("socket/connect: ") + std::strerror(errno));
      return false;
    }
    conns_.push_back(std::move(c));
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | EPOLLOUT;
    ev.data.u64 = conns_.size() - 1;
    epoll_ctl(epfd_, EPOLL_CTL_ADD, conns_.back().fd, &ev);
  }
  return true;
}

void Crowd::Step(int timeout_ms) {
  epoll_event evs[512];
  int n = epoll_wait(epfd_, evs, 512, timeout_ms);
  for (int i = 0; i < n; ++i) {
    Conn& c = conns_[evs[i].data.u64];
    if (c.fd < 0) continue;
    if (c.connecting) {
      if (!(evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) continue;
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) {
        Fail(c, std::string("connect: ") + std::strerror(err));
        continue;
      }
      c.connecting = false;
      ++established_[c.kind];
      if (c.kind == kSlow) {
        Queue(c, "GET /api/tenants/1/roles HTTP/1.1\r\nHost: 127.0.0.1\r\nKefu-Token: " + token_ +
                     "\r\nX-Slow-Loris: ");
        c.next_drip = Clock::now() + seconds(1);
      } else if (c.kind == kNormal && requesting_) {
        SendRequest(c);
      }
      Flush(c);
      continue;
    }
    if (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) Read(c);
    if (c.fd >= 0 && (evs[i].events & EPOLLOUT)) Flush(c);
  }
  const auto now = Clock::now();
  if (now - last_tick_ < milliseconds(50)) return;
  last_tick_ = now;
  for (auto& c : conns_) {
    if (c.fd < 0 || c.connecting) continue;
    if (c.kind == kSlow && now >= c.next_drip) {
      Queue(c, "a");
      Flush(c);
      c.next_drip += seconds(1);
    } else if (c.kind == kNormal && c.awaiting && now - c.sent > kAnswerBound) {
      Fail(c, "no answer within " + std::to_string(kAnswerBound.count()) + " s to GET " +
                  targets_[c.target]);
    } else if (c.kind == kNormal && !c.awaiting && requesting_ && now >= c.next_request) {
      SendRequest(c);
      Flush(c);
    }
  }
}

int Crowd::Awaiting() const {
  int n = 0;
  for (auto& c : conns_) n += c.fd >= 0 && c.awaiting;
  return n;
}

int Crowd::ClosedByServer(Kind kind) const {
  int n = 0;
  for (auto& c : conns_) n += c.kind == kind && c.closed_by_server;
  return n;
}

int Crowd::Unanswered() const {
  int n = 0;
  for (auto& c : conns_) n += c.kind == kNormal && c.answers == 0;
  return n;
}

::testing::AssertionResult Crowd::AbusersGotOnlyJson4xx() const {
  for (auto& c : conns_) {
    if (c.kind == kNormal || c.received.empty()) continue;
    if (auto ok = OnlyJson4xx(c.received); !ok) return ok;
  }
  return ::testing::AssertionSuccess();
}

void Crowd::Fail(Conn& c, const std::string& what) {
  ++failure_count_;
  if (first_failures_.size() < 10) {
    const char* kind = c.kind == kIdle ? "idle" : c.kind == kSlow ? "slow-loris" : "normal";
    first_failures_.push_back(std::string(kind) + " client: " + what);
  }
  Drop(c);
}

void Crowd::Drop(Conn& c) {
  if (c.fd >= 0) close(c.fd);
  c.fd = -1;
  c.awaiting = false;
}

void Crowd::Flush(Conn& c) {
  while (c.fd >= 0 && !c.out.empty()) {
    ssize_t n = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c.out.erase(0, static_cast<size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;
    } else if (!(n < 0 && errno == EINTR)) {
      ServerClosed(c, std::string("send: ") + std::strerror(errno));
    }
  }
  // Level-triggered: ask for EPOLLOUT only while something waits to be sent.
  if (c.fd >= 0) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | (c.out.empty() ? 0u : static_cast<uint32_t>(EPOLLOUT));
    ev.data.u64 = static_cast<uint64_t>(&c - conns_.data());
    epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev);
  }
}

void Crowd::SendRequest(Conn& c) {
  Queue(c, "GET " + targets_[c.target] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nKefu-Token: " + token_ +
               "\r\n\r\n");
  c.awaiting = true;
  c.sent = Clock::now();
}

void Crowd::ServerClosed(Conn& c, const std::string& how) {
  c.closed_by_server = true;
  if (c.kind == kNormal) {
    Fail(c, "connection closed by the server (" + how + ")" +
                (c.awaiting ? " while waiting for GET " + targets_[c.target] : std::string()));
  } else {
    Drop(c);
  }
}

void Crowd::Read(Conn& c) {
  char buf[16384];
  while (c.fd >= 0) {
    ssize_t k = recv(c.fd, buf, sizeof buf, 0);
    if (k > 0) {
      if (c.kind == kNormal) {
        if (!c.in.Feed(std::string_view(buf, static_cast<size_t>(k)))) {
          Fail(c, "bad HTTP: " + c.in.error());
          return;
        }
        while (c.fd >= 0) {
          auto r = c.in.Next();
          if (!r) break;
          Answer(c, *r);
        }
      } else {
        c.received.append(buf, static_cast<size_t>(k));
      }
      continue;
    }
    if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (k < 0 && errno == EINTR) continue;
    ServerClosed(c, k == 0 ? std::string("EOF") : std::string("recv: ") + std::strerror(errno));
    return;
  }
}

void Crowd::Answer(Conn& c, const Response& r) {
  if (!c.awaiting) {
    Fail(c, "an answer nobody asked for: " + Describe(r));
    return;
  }
  c.awaiting = false;
  if (auto ok = IsOk(r); !ok) {
    Fail(c, "GET " + targets_[c.target] + ": " + ok.message());
    return;
  }
  if (r.body != expected_[c.target]) {
    Fail(c, "GET " + targets_[c.target] + ": another body than before the crowd came: " + Describe(r));
    return;
  }
  if (!r.keep_alive) {
    Fail(c, "GET " + targets_[c.target] + ": the server ended the keep-alive connection");
    return;
  }
  ++c.answers;
  ++answers_;
  c.target = (c.target + 1) % targets_.size();
  c.next_request = Clock::now() + kThinkTime;
}

}  // namespace bb
