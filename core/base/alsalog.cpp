#include "base/alsalog.h"

#include <dlfcn.h>

#include <mutex>

namespace lyrebird {

namespace {
// snd_lib_error_handler_t: (file, line, function, err, fmt, ...)
void silentHandler(const char*, int, const char*, int, const char*, ...) {}
using SetHandler = int (*)(void (*)(const char*, int, const char*, int, const char*, ...));
} // namespace

void silenceAlsaLog() {
  static std::once_flag once;
  std::call_once(once, [] {
    void* alsa = dlopen("libasound.so.2", RTLD_LAZY | RTLD_LOCAL);
    if (!alsa) return; // no ALSA on this system: nothing to silence
    if (auto set = reinterpret_cast<SetHandler>(dlsym(alsa, "snd_lib_error_set_handler"))) set(silentHandler);
    // The library stays loaded: the handler must outlive every ALSA call.
  });
}

} // namespace lyrebird
