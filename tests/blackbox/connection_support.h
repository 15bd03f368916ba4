// Socket-level helpers for the connection-abuse black-box tests
// (connection_abuse_test.cc, CONTRACT §8): raw non-blocking clients that
// idle, trickle or flood, a parser for whatever kefud sends back, a client
// that must keep being served beside them, and /proc readings of kefud's
// descriptors and memory.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "harness.h"

namespace bb {

// ---------------------------------------------------------------- processes

// Milliseconds from t until now.
long long MsSince(std::chrono::steady_clock::time_point t);

// Raises this process's RLIMIT_NOFILE soft limit to its hard limit; processes
// started afterwards (kefud) inherit it. Returns the hard limit (0 when
// unreadable, the old soft limit when it cannot be raised).
rlim_t RaiseDescriptorLimit();

// A "Vm…:  N kB" line of /proc/PID/status ("VmRSS", "VmHWM"), in KiB; -1 when absent.
long StatusKib(pid_t pid, const std::string& field);

// The soft "Max open files" of pid; -1 when unreadable, LONG_MAX when unlimited.
long MaxOpenFiles(pid_t pid);

// How many descriptors pid holds (0 when /proc/PID/fd is unreadable).
int OpenDescriptors(pid_t pid);

// Peak resident memory of a process, sampled.
struct RssWatch {
  // Reads the baseline VmRSS of p at once.
  explicit RssWatch(pid_t p);
  // Reads VmRSS into peak_kib, at most every 200 ms unless forced.
  void Sample(bool force = false);

  pid_t pid;
  long baseline_kib;
  long peak_kib;
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
};

// ---------------------------------------------------------------- HTTP bytes

// Splits a byte stream into HTTP responses (pipelined answers, or whatever an
// abusive client was sent before it was cut off). Movable, not copyable.
class ResponseStream {
 public:
  ResponseStream();
  ~ResponseStream();
  ResponseStream(ResponseStream&&) noexcept;
  ResponseStream& operator=(ResponseStream&&) noexcept;

  // Appends bytes and parses every response they complete. False (and the
  // reason in error()) when the bytes are not HTTP; false ever after.
  bool Feed(std::string_view bytes);
  // The oldest complete response not yet taken, if any.
  std::optional<Response> Next();
  // Bytes of a response begun but not finished.
  bool Partial() const;
  const std::string& error() const { return error_; }

 private:
  struct Parser;  // Beast's response parser, kept out of this header
  std::string pending_;
  std::unique_ptr<Parser> parser_;
  std::deque<Response> done_;
  std::string error_;
};

// What an abusive client may be sent before it is cut off: nothing, or whole
// JSON 4xx answers (CONTRACT §3: never an HTML page, never an empty body).
::testing::AssertionResult OnlyJson4xx(const std::string& bytes);

// A non-blocking TCP socket (TCP_NODELAY) connecting to 127.0.0.1:port, with
// a receive buffer of rcvbuf bytes when not 0; -1 on failure. The caller
// closes it.
int ConnectNonBlocking(int port, int rcvbuf = 0);

// ---------------------------------------------------------------- clients

// Requests on connections of their own (a fresh one each time, so a short
// idle timeout never makes one stale), every 100 ms on a thread of its own
// until stopped: the client that must not notice the abuse going on beside it.
class BystanderClient {
 public:
  // Starts asking GET /api/tenants/1/roles with token at once.
  BystanderClient(int port, std::string token);
  ~BystanderClient() { Stop(); }
  BystanderClient(const BystanderClient&) = delete;
  BystanderClient& operator=(const BystanderClient&) = delete;

  // Ends the requests and joins the thread; idempotent.
  void Stop();
  // Requests answered with IsOk so far.
  int ok() const { return ok_; }
  // Every failure so far, one per "---" separated block; "" when none.
  std::string Failures();

 private:
  void Fail(const std::string& what);
  std::atomic<bool> stop_{false};
  std::atomic<int> ok_{0};
  std::mutex mu_;
  std::vector<std::string> failures_;
  std::thread thread_;  // last: starts once the members above exist
};

// A client that sends `prefix` at once, then the bytes of `drip` one per
// interval (its last byte over and over once the rest is sent, or all of it
// again when `cycle`), never finishing its request; it records what the
// server sends and when it closes. Set name, prefix, drip and cycle; the rest
// is RunTricklers' output.
struct Trickler {
  std::string name;
  std::string prefix;
  std::string drip;
  bool cycle = false;
  int fd = -1;
  size_t dripped = 0;
  std::chrono::steady_clock::time_point next;
  std::string received;
  std::optional<long long> closed_after_ms;  // since the connect (the first byte goes at once)
  std::string how_closed;
};

// Drives the tricklers in one poll loop until the server has closed each of
// them or `limit` passes, then closes those still open (their closed_after_ms
// stays empty). Starts the clock of each at its first byte.
void RunTricklers(int port, std::vector<Trickler>& ts, std::chrono::milliseconds interval,
                  std::chrono::seconds limit);

// ---------------------------------------------------------------- the crowd

// Many clients on non-blocking sockets in one epoll loop: idle ones (connect,
// send nothing), slow-loris ones (a request line, then one header byte per
// second, never finishing), and normal ones (keep-alive, one authenticated
// request after another with a short pause between, each answer checked
// against the expected body). Single-threaded: the caller drives it by Step.
class Crowd {
 public:
  enum Kind { kIdle, kSlow, kNormal };

  // Normal clients ask targets[i] in turn and expect expected[i] back.
  Crowd(int port, std::string token, std::vector<std::string> targets, std::vector<std::string> expected);
  ~Crowd();  // CloseAll()
  Crowd(const Crowd&) = delete;
  Crowd& operator=(const Crowd&) = delete;

  // Closes every connection still open.
  void CloseAll();
  // Starts n connections of a kind. False when a socket could not even be made.
  bool Open(Kind kind, int n);
  // One round: socket events (waiting up to timeout_ms), then the clocks
  // (slow-loris bytes, answer deadlines, the next requests).
  void Step(int timeout_ms);
  // Normal clients send no further requests (the ones in flight stand).
  void StopRequests() { requesting_ = false; }

  // Connections of a kind whose connect completed.
  int Established(Kind kind) const { return established_[kind]; }
  // Open connections waiting for an answer.
  int Awaiting() const;
  // Connections of a kind the server closed (or reset).
  int ClosedByServer(Kind kind) const;
  // Normal connections that never got an answer.
  int Unanswered() const;
  // Everything the idle and slow-loris clients were sent must be JSON 4xx.
  ::testing::AssertionResult AbusersGotOnlyJson4xx() const;
  // Right answers the normal clients got.
  long answers() const { return answers_; }
  // Failed connections (a wrong or late answer, a closed normal client, …).
  int failures() const { return failure_count_; }
  // The first ten failures, one per "---" separated block.
  std::string FirstFailures() const { return Join(first_failures_, "\n---\n"); }

 private:
  // An answer not taken within kefud's client timeout (30 s) would be
  // dropped by kefud itself: the product's bound, not a guess of speed.
  static constexpr std::chrono::seconds kAnswerBound{30};
  // Between an answer and a normal client's next request: clients, not a
  // benchmark (the machine is shared with the rest of the suite).
  static constexpr std::chrono::milliseconds kThinkTime{50};

  struct Conn {
    Kind kind = kIdle;
    int fd = -1;
    bool connecting = true;
    bool closed_by_server = false;
    std::string out;
    ResponseStream in;
    std::string received;  // idle and slow-loris: every byte the server sent
    size_t target = 0;
    bool awaiting = false;
    std::chrono::steady_clock::time_point sent;
    std::chrono::steady_clock::time_point next_drip;
    std::chrono::steady_clock::time_point next_request;
    long answers = 0;
  };

  void Fail(Conn& c, const std::string& what);
  void Drop(Conn& c);
  void Queue(Conn& c, std::string_view bytes) { c.out.append(bytes); }
  void Flush(Conn& c);
  void SendRequest(Conn& c);
  void ServerClosed(Conn& c, const std::string& how);
  void Read(Conn& c);
  void Answer(Conn& c, const Response& r);

  int port_;
  std::string token_;
  std::vector<std::string> targets_;
  std::vector<std::string> expected_;
  int epfd_ = -1;
  std::vector<Conn> conns_;  // epoll events carry the index
  int established_[3] = {0, 0, 0};
  bool requesting_ = true;
  long answers_ = 0;
  int failure_count_ = 0;
  std::vector<std::string> first_failures_;
  std::chrono::steady_clock::time_point last_tick_ = std::chrono::steady_clock::now();
};

}  // namespace bb
