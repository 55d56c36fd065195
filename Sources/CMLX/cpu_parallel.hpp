// A small persistent thread pool for the shim's CPU kernels: MLX runs each CPU kernel on one
// thread per stream (notes/runtime-mlx-x86.md), so the fused kernels split rows across cores here.
#pragma once
#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cmlx::cpu {

class ThreadPool {
   public:
    static ThreadPool& shared() {
        static ThreadPool pool(std::max(1u, std::min(8u, std::thread::hardware_concurrency())));
        return pool;
    }

    size_t size() const { return workers_.size() + 1; }

    /// Calls fn(begin, end) on contiguous chunks of [0, n) across the pool (the caller works too).
    /// Small ranges (below `grain` items per thread) run inline.
    void parallel_for(size_t n, size_t grain, const std::function<void(size_t, size_t)>& fn) {
        // One job at a time: kernels on two MLX streams take turns instead of sharing the job slot.
        std::lock_guard<std::mutex> one_caller(call_mutex_);
        size_t threads = std::min(size(), std::max<size_t>(1, n / std::max<size_t>(grain, 1)));
        if (threads <= 1) {
            fn(0, n);
            return;
        }
        size_t chunk = (n + threads - 1) / threads;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            job_ = &fn;
            chunk_ = chunk;
            total_ = n;
            pending_ = threads - 1;
            active_ = threads - 1;
            generation_++;
        }
        wake_.notify_all();
        fn(0, std::min(chunk, n));
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [&] { return pending_ == 0; });
        job_ = nullptr;
    }

   private:
    explicit ThreadPool(unsigned count) {
        for (unsigned i = 1; i < count; i++) {
            workers_.emplace_back([this, i] { loop(i); });
        }
    }

    ~ThreadPool() {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        for (auto& w : workers_) w.join();
    }

    void loop(size_t index) {
        size_t seen = 0;
        while (true) {
            const std::function<void(size_t, size_t)>* job;
            size_t begin, end;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
                if (stop_) return;
                seen = generation_;
                if (index > active_) continue;
                job = job_;
                begin = index * chunk_;
                end = std::min(total_, begin + chunk_);
            }
            if (begin < end) (*job)(begin, end);
            {
                std::unique_lock<std::mutex> lock(mutex_);
                if (--pending_ == 0) done_.notify_one();
            }
        }
    }

    std::vector<std::thread> workers_;
    std::mutex call_mutex_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    const std::function<void(size_t, size_t)>* job_ = nullptr;
    size_t chunk_ = 0, total_ = 0, pending_ = 0, active_ = 0, generation_ = 0;
    bool stop_ = false;
};

}  // namespace cmlx::cpu
