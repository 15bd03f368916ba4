// http::Server in this process for the transport's tests: listening on
// 127.0.0.1, a free port, serving on a thread of its own until Stop() sends
// SIGTERM, as an operator would. Before Stop(), a test must have had an
// answer from it: only then is Run() known to be handling SIGTERM (before,
// the signal would end the test process).
#pragma once

#include <boost/asio/thread_pool.hpp>

#include <signal.h>
#include <unistd.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "http/server.h"

namespace kefu::http {

class InProcessServer {
 public:
  InProcessServer(ServerOptions options, api::RequestHandler& handler) {
    options.host = "127.0.0.1";
    options.port = "0";
    server_ = std::make_unique<Server>(std::move(options), handler, WorkerPools{quick_, slow_, false});
    Status listening = server_->Listen();
    if (!listening.ok()) throw std::runtime_error(listening.detail());
    const std::string address = server_->LocalAddress();
    port_ = static_cast<unsigned short>(std::stoi(address.substr(address.rfind(':') + 1)));
    running_ = std::thread([this] { server_->Run(); });
  }
  ~InProcessServer() { Stop(); }
  InProcessServer(const InProcessServer&) = delete;
  InProcessServer& operator=(const InProcessServer&) = delete;

  unsigned short port() const { return port_; }

  // SIGTERM; returns once Run() has, that is once every socket closed.
  void Stop() {
    if (!running_.joinable()) return;
    kill(getpid(), SIGTERM);
    running_.join();
  }

 private:
  boost::asio::thread_pool quick_{2};
  boost::asio::thread_pool slow_{1};
  std::unique_ptr<Server> server_;
  std::thread running_;
  unsigned short port_ = 0;
};

}  // namespace kefu::http
