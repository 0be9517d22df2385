#pragma once

#include "base/result.h"
#include "midi/score.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lyrebird::corpus {

/// A piece's pitches in the order they are heard: by onset, the lowest first within a chord
/// (drum tracks skipped). The sequence `evaluate` measures copies on.
std::vector<int> pitchSequence(const midi::Score& score);

/// Every run of `notes()` consecutive pitches of some music (the training files), held as the
/// hash of its intervals: a run is found in any transposition, so a model trained in normalized
/// keys cannot copy a training phrase by writing it in another key. The generator asks it before
/// each note it places (Pachet and Roy's "no copy longer than N" constraint), so no take repeats
/// more than notes() - 1 pitches of a training file. An empty index (notes() == 0) finds nothing.
class CopyIndex {
public:
  /// The music's longest allowed copy is 16 notes, so runs of 17 are indexed.
  static constexpr int kDefaultNotes = 17;

  CopyIndex() = default;
  /// The index of every run of `notes` (>= 2) consecutive pitches of each sequence.
  static CopyIndex build(std::span<const std::vector<int>> sequences, int notes = kDefaultNotes);

  int notes() const { return m_notes; }
  bool empty() const { return m_hashes.empty(); }
  std::size_t size() const { return m_hashes.size(); }

  /// Whether these notes() pitches, in some transposition, are a run of the indexed music.
  bool contains(std::span<const int> run) const;
  /// Whether some run of notes() consecutive pitches of `sequence` that ends at or after
  /// `from` is indexed (the ones before `from` are taken as already asked).
  bool containsRunEndingFrom(std::span<const int> sequence, std::size_t from) const;

  /// The runs of both indexes (an empty one takes the other's; of another notes(), this one's).
  CopyIndex merged(const CopyIndex& other) const;

  /// A compact binary form (little endian: u32 notes, u64 count, the sorted hashes).
  std::string serialize() const;
  static Result<CopyIndex> deserialize(std::string_view bytes);

  bool operator==(const CopyIndex&) const = default;

private:
  static std::uint64_t hashRun(std::span<const int> run);
  int m_notes = 0;
  std::vector<std::uint64_t> m_hashes; // sorted, unique
};

} // namespace lyrebird::corpus
