// Runs blocking work (the store, Argon2id) on the worker pool and resumes the
// calling coroutine on its own I/O thread, so the event loop never stalls.
#pragma once

#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <utility>

namespace kefu::http {

namespace asio = boost::asio;

// co_await RunBlocking<R>(pool, fn) returns fn() computed on `pool`.
template <typename R, typename F>
asio::awaitable<R> RunBlocking(asio::thread_pool& pool, F fn) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr, R)>(
      [&pool](auto handler, F fn) {
        // Keeps the I/O context alive until the result is delivered.
        auto work = asio::make_work_guard(asio::get_associated_executor(handler));
        asio::post(pool, [handler = std::move(handler), fn = std::move(fn),
                          work = std::move(work)]() mutable {
          std::exception_ptr error;
          R result{};
          try {
            result = fn();
          } catch (...) {
            error = std::current_exception();
          }
          auto io = work.get_executor();
          asio::post(io, [handler = std::move(handler), error, result = std::move(result)]() mutable {
            std::move(handler)(error, std::move(result));
          });
          work.reset();
        });
      },
      asio::use_awaitable, std::move(fn));
}

}  // namespace kefu::http
