#pragma once

namespace lyrebird {

/// ALSA's library prints its own errors ("cannot find card '0'") to stderr when FluidSynth
/// or RtMidi probe a machine without sound hardware; Lyrebird says what matters in its
/// own words instead. Installs a silent ALSA error handler, found at run time so there is
/// no build dependency on ALSA. Safe to call repeatedly and from any thread.
void silenceAlsaLog();

} // namespace lyrebird
