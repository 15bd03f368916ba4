// Lower scheduling priority for the threads of a pool, so that when the cores
// are busy the kernel runs I/O threads and quick requests first.
#pragma once

#include <boost/asio/thread_pool.hpp>

namespace kefu::http {

// Gives each of the `threads` threads of `pool` the nice value `nice` (Linux
// keeps one per thread). Blocks until every thread has taken it. Returns false
// if the kernel refused (the pool then runs at the normal priority).
bool SetPoolNice(boost::asio::thread_pool& pool, unsigned threads, int nice);

}  // namespace kefu::http
