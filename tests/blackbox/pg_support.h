// PostgreSQL-only helpers of the black-box suite: a private cluster, nginx in
// front of several kefud instances, a foreground process.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "harness.h"

namespace bb {

// A port that was free a moment ago (bound to 127.0.0.1:0 and released).
int FreePort();

// Path of tests/pg/pg_cluster.sh.
std::string PgClusterScript();

// A private PostgreSQL cluster (tests/pg/pg_cluster.sh start) for a test that
// stops and starts it: the shared cluster of the suite must stay up for the
// tests running beside it. Stopped and removed at destruction.
class PgCluster {
 public:
  // durable: synchronous_commit=on (see pg_cluster.sh). Throws when it cannot start.
  explicit PgCluster(bool durable = false);
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;
  const std::string& url_prefix() const { return url_; }  // postgresql://postgres@127.0.0.1:PORT
  // pg_ctl stop -m fast (or immediate: PostgreSQL dies as in a crash), keeping
  // the data; Resume starts it on the same port.
  void Pause(bool immediate = false);
  void Resume();
  std::string Log() const;

 private:
  void Run(const std::vector<std::string>& args);
  TempDir tmp_;
  std::string dir_;
  std::string url_;
  bool started_ = false;
};

// A child process in the foreground, its stdout and stderr in a log file.
class Process {
 public:
  Process() = default;
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  void Start(const std::vector<std::string>& argv, const std::string& log_path);
  bool Alive();  // false once it has exited (reaps it)
  int Stop(int timeout_s = 10);  // SIGTERM (then SIGKILL); exit status or -signal
  pid_t pid() const { return pid_; }
  std::string Log() const { return ReadFile(log_path_); }

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// Is process pid still running (not exited)? For kefud started by Server.
bool ProcessAlive(pid_t pid);

// deploy/nginx.conf with the upstream servers, the listen addresses (HTTPS,
// and the plain one that redirects), the certificate (the suite's) and the
// file paths (pid, logs, temporary files) replaced for a test in dir.
std::string NginxConfFor(const std::string& deploy_conf, const std::vector<int>& upstream_ports,
                         int listen_port, int redirect_port, const std::string& dir);

// nginx in front of kefud instances, as a foreground process
// (nginx -c CONF -p DIR -g 'daemon off;').
class Nginx {
 public:
  Nginx() = default;
  ~Nginx();
  // Writes the configuration into dir and starts nginx; waits until it answers.
  void Start(const std::vector<int>& upstream_ports, const std::string& dir);
  // HTTPS (the suite's certificate, tls_support.h), to the instances.
  int port() const { return port_; }
  // Plain HTTP, which only redirects to HTTPS.
  int redirect_port() const { return redirect_port_; }
  std::string ErrorLog() const;
  std::string AccessLog() const;
  bool Alive() { return proc_.Alive(); }

 private:
  Process proc_;
  std::string dir_;
  int port_ = 0;
  int redirect_port_ = 0;
};

std::string NginxPath();

}  // namespace bb
