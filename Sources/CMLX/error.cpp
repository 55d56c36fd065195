// The error funnel: one thread-local message per thread, read by Swift after a failing call.
#include "internal.hpp"

static thread_local std::string last_error;

void cmlx::set_error(const std::string& message) {
    try {
        last_error = message;
    } catch (...) {  // called from catch blocks: must not throw again
    }
}

extern "C" const char* cmlx_last_error(void) { return last_error.c_str(); }
extern "C" void cmlx_set_error(const char* message) {
    try {
        last_error = message ? message : "";
    } catch (...) {  // out of memory for the copy: keep the previous message rather than unwind
    }
}
