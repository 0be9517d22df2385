// libFuzzer target for the Standard MIDI File reader. Built with -DLYREBIRD_FUZZ=ON and
// clang; run by .ci/run under AddressSanitizer + UndefinedBehaviorSanitizer:
//   build-fuzz/tests/fuzz/fuzz_smfreader -max_total_time=60 corpus-dir/
//
// Besides "never crash, hang or over-allocate", it checks the reader/writer contract:
// whatever the reader accepts, the writer writes and the reader reads back to the same
// notes, tempo map and signatures.

#include "midi/smfreader.h"
#include "midi/smfwriter.h"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lyrebird::midi;
  const lyrebird::Result<SmfFile> first = readSmf(std::span<const std::uint8_t>(data, size), "fuzz.mid");
  if (!first.ok()) {
    if (first.error().message.empty()) std::abort();
    return 0;
  }
  const Score& score = first->score;
  for (const Track& track : score.tracks) {
    for (const Note& note : track.notes) {
      if (note.durationTicks < 0 || note.pitch > 127 || note.velocity == 0 || note.velocity > 127) std::abort();
    }
  }
  const lyrebird::Result<SmfFile> second = readSmf(writeSmf(score), "round-trip.mid");
  if (!second.ok()) {
    std::fprintf(stderr, "written file does not read back: %s\n", second.error().describe().c_str());
    std::abort();
  }
  const Score& back = second->score;
  if (back.noteCount() != score.noteCount() || back.tempos != score.tempos ||
      back.timeSignatures != score.timeSignatures || back.keySignatures != score.keySignatures) {
    std::fprintf(stderr, "round trip changed the score\n");
    std::abort();
  }
  return 0;
}
