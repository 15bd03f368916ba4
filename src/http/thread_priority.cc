#include "http/thread_priority.h"

#include <boost/asio/post.hpp>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <latch>
#include <memory>

namespace kefu::http {

bool SetPoolNice(boost::asio::thread_pool& pool, unsigned threads, int nice) {
  // One task per thread, each waiting at the latch until all have started: no
  // thread can take two of them, so every thread of the pool takes one. (The
  // state is shared: a task may still be leaving the latch when we return.)
  struct State {
    explicit State(unsigned n) : all_started(n) {}
    std::latch all_started;
    std::atomic<bool> ok{true};
  };
  auto state = std::make_shared<State>(threads);
  for (unsigned i = 0; i < threads; ++i) {
    boost::asio::post(pool, [state, nice] {
      const auto tid = static_cast<id_t>(syscall(SYS_gettid));
      if (setpriority(PRIO_PROCESS, tid, nice) != 0) state->ok = false;
      state->all_started.arrive_and_wait();
    });
  }
  state->all_started.wait();
  return state->ok;
}

}  // namespace kefu::http
