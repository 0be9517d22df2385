#include "evaluate/musicmetrics.h"

#include "corpus/copyindex.h"
#include "midi/tempomap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_set>

namespace lyrebird::evaluate {

namespace {

struct TimedNote {
  std::int64_t startTicks = 0;
  std::int64_t endTicks = 0;
  double start = 0.0;
  double end = 0.0;
  int pitch = 0;
};

std::vector<TimedNote> timedNotes(const midi::Score& score) {
  std::vector<TimedNote> notes;
  const midi::TempoMap tempo(score);
  for (const midi::Track& track : score.tracks) {
    if (track.isDrum) continue;
    for (const midi::Note& n : track.notes) {
      notes.push_back({n.startTicks, n.endTicks(), tempo.seconds(n.startTicks), tempo.seconds(n.endTicks()), n.pitch});
    }
  }
  std::sort(notes.begin(), notes.end(), [](const TimedNote& a, const TimedNote& b) {
    return a.startTicks != b.startTicks ? a.startTicks < b.startTicks : a.pitch < b.pitch;
  });
  return notes;
}

/// Onset groups: the pitches starting at each distinct tick, as one id per group.
std::vector<std::uint64_t> onsetGroups(const std::vector<TimedNote>& notes) {
  std::vector<std::uint64_t> groups;
  for (std::size_t i = 0; i < notes.size();) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    std::size_t j = i;
    for (; j < notes.size() && notes[j].startTicks == notes[i].startTicks; ++j) {
      hash = (hash ^ static_cast<std::uint64_t>(notes[j].pitch + 1)) * 0x100000001b3ULL;
    }
    groups.push_back(hash);
    i = j;
  }
  return groups;
}

double polyphonyOf(const std::vector<TimedNote>& notes) {
  std::vector<std::pair<double, int>> events;
  for (const TimedNote& n : notes) {
    if (n.end <= n.start) continue;
    events.push_back({n.start, +1});
    events.push_back({n.end, -1});
  }
  std::sort(events.begin(), events.end()); // ends (-1) before starts at the same time
  double weighted = 0.0, sounding = 0.0, last = 0.0;
  int count = 0;
  for (const auto& [time, delta] : events) {
    if (count > 0) {
      weighted += count * (time - last);
      sounding += time - last;
    }
    count += delta;
    last = time;
  }
  return sounding > 0 ? weighted / sounding : 0.0;
}

double scaleConsistencyOf(const std::vector<TimedNote>& notes) {
  if (notes.empty()) return 0.0;
  static constexpr int kMajor[] = {0, 2, 4, 5, 7, 9, 11}; // natural minor shares these sets
  std::array<int, 12> counts{};
  for (const TimedNote& n : notes)
    ++counts[static_cast<std::size_t>(n.pitch % 12)];
  int best = 0;
  for (int root = 0; root < 12; ++root) {
    int inside = 0;
    for (int step : kMajor)
      inside += counts[static_cast<std::size_t>((root + step) % 12)];
    best = std::max(best, inside);
  }
  return static_cast<double>(best) / static_cast<double>(notes.size());
}

double grooveOf(const midi::Score& score, const std::vector<TimedNote>& notes) {
  if (notes.empty()) return 1.0;
  const int numerator = score.timeSignatures.empty() ? 4 : score.timeSignatures.front().numerator;
  const int denominator = score.timeSignatures.empty() ? 4 : score.timeSignatures.front().denominator;
  const std::int64_t tpq = std::max(1, score.ticksPerQuarter);
  const std::int64_t barTicks = std::max<std::int64_t>(1, tpq * 4 * numerator / std::max(1, denominator));
  const std::int64_t step = std::max<std::int64_t>(1, tpq / 4);
  const std::int64_t positions = std::max<std::int64_t>(1, barTicks / step);
  std::map<std::int64_t, std::set<std::int64_t>> bars;
  for (const TimedNote& n : notes)
    bars[n.startTicks / barTicks].insert((n.startTicks % barTicks) / step);
  const std::int64_t lastBar = notes.back().startTicks / barTicks;
  if (lastBar < 1) return 1.0;
  double distances = 0.0;
  const std::set<std::int64_t> empty;
  for (std::int64_t bar = 0; bar < lastBar; ++bar) {
    const auto a = bars.find(bar);
    const auto b = bars.find(bar + 1);
    const std::set<std::int64_t>& x = a == bars.end() ? empty : a->second;
    const std::set<std::int64_t>& y = b == bars.end() ? empty : b->second;
    std::vector<std::int64_t> differ;
    std::set_symmetric_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(differ));
    distances += static_cast<double>(differ.size()) / static_cast<double>(positions);
  }
  return 1.0 - distances / static_cast<double>(lastBar);
}

std::array<double, kIoiBins> ioiCounts(const std::vector<TimedNote>& notes) {
  std::array<double, kIoiBins> counts{};
  for (std::size_t i = 1; i < notes.size(); ++i) {
    if (notes[i].startTicks == notes[i - 1].startTicks) continue;
    const double interval = notes[i].start - notes[i - 1].start;
    const auto bin = static_cast<std::size_t>(
        std::upper_bound(kIoiEdgesSeconds.begin(), kIoiEdgesSeconds.end(), interval) - kIoiEdgesSeconds.begin());
    counts[bin] += 1.0;
  }
  return counts;
}

template <std::size_t N> std::array<double, N> normalized(std::array<double, N> counts) {
  double total = 0.0;
  for (double c : counts)
    total += c;
  if (total > 0) {
    for (double& c : counts)
      c /= total;
  }
  return counts;
}

// Polynomial rolling hash of windows of `length` pitches.
constexpr std::uint64_t kBase = 1'000'003ULL;

std::uint64_t power(std::uint64_t base, int exponent) {
  std::uint64_t result = 1;
  for (int i = 0; i < exponent; ++i)
    result *= base;
  return result;
}

template <typename Visit> void rollingHashes(const std::vector<int>& sequence, int length, Visit visit) {
  if (length <= 0 || sequence.size() < static_cast<std::size_t>(length)) return;
  const std::uint64_t top = power(kBase, length - 1);
  std::uint64_t hash = 0;
  for (std::size_t i = 0; i < sequence.size(); ++i) {
    if (i >= static_cast<std::size_t>(length))
      hash -= static_cast<std::uint64_t>(sequence[i - static_cast<std::size_t>(length)] + 1) * top;
    hash = hash * kBase + static_cast<std::uint64_t>(sequence[i] + 1);
    if (i + 1 >= static_cast<std::size_t>(length)) visit(i + 1 - static_cast<std::size_t>(length), hash);
  }
}

/// Whether some window of `length` pitches of `piece` occurs in a training sequence.
bool anyCopyOfLength(const std::vector<std::vector<int>>& training, const std::vector<int>& piece, int length) {
  std::unordered_set<std::uint64_t> wanted;
  rollingHashes(piece, length, [&](std::size_t, std::uint64_t h) { wanted.insert(h); });
  if (wanted.empty()) return false;
  for (const std::vector<int>& sequence : training) {
    bool found = false;
    rollingHashes(sequence, length, [&](std::size_t, std::uint64_t h) { found = found || wanted.count(h) > 0; });
    if (found) return true;
  }
  return false;
}

std::string number(double value) {
  if (!std::isfinite(value)) return "null";
  char text[40];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

} // namespace

MusicMetrics measure(const midi::Score& score) {
  MusicMetrics m;
  const std::vector<TimedNote> notes = timedNotes(score);
  m.notes = notes.size();
  if (notes.empty()) return m;
  int low = 127, high = 0;
  std::set<int> pitches;
  std::int64_t lastEndTicks = 0;
  for (const TimedNote& n : notes) {
    low = std::min(low, n.pitch);
    high = std::max(high, n.pitch);
    pitches.insert(n.pitch);
    m.pitchClassHistogram[static_cast<std::size_t>(n.pitch % 12)] += 1.0;
    m.seconds = std::max(m.seconds, n.end);
    lastEndTicks = std::max(lastEndTicks, n.endTicks);
  }
  m.pitchClassHistogram = normalized(m.pitchClassHistogram);
  m.pitchRange = high - low;
  m.pitchesUsed = static_cast<int>(pitches.size());
  m.polyphony = polyphonyOf(notes);
  m.scaleConsistency = scaleConsistencyOf(notes);

  const std::int64_t tpq = std::max(1, score.ticksPerQuarter);
  const std::int64_t beats = std::max<std::int64_t>(1, (lastEndTicks + tpq - 1) / tpq);
  std::set<std::int64_t> beatsWithOnsets;
  for (const TimedNote& n : notes)
    beatsWithOnsets.insert(n.startTicks / tpq);
  m.emptyBeatRate = 1.0 - static_cast<double>(beatsWithOnsets.size()) / static_cast<double>(beats);
  m.noteDensity = m.seconds > 0 ? static_cast<double>(notes.size()) / m.seconds : 0.0;
  m.ioiHistogram = normalized(ioiCounts(notes));
  m.grooveConsistency = grooveOf(score, notes);

  const std::vector<std::uint64_t> groups = onsetGroups(notes);
  int run = 0;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    run = i > 0 && groups[i] == groups[i - 1] ? run + 1 : 1;
    m.longestRepeat = std::max(m.longestRepeat, run);
  }
  if (groups.size() >= 4) {
    std::set<std::array<std::uint64_t, 4>> distinct;
    for (std::size_t i = 0; i + 4 <= groups.size(); ++i)
      distinct.insert({groups[i], groups[i + 1], groups[i + 2], groups[i + 3]});
    m.distinct4gramRatio = static_cast<double>(distinct.size()) / static_cast<double>(groups.size() - 3);
  }
  return m;
}

ReferenceProfile referenceProfile(const std::vector<const midi::Score*>& pieces) {
  ReferenceProfile profile;
  std::array<double, 12> pitchClasses{};
  std::array<double, kIoiBins> intervals{};
  MusicMetrics& mean = profile.mean;
  mean.grooveConsistency = 0.0;
  for (const midi::Score* score : pieces) {
    const MusicMetrics m = measure(*score);
    if (m.notes == 0) continue;
    ++profile.pieces;
    const std::vector<TimedNote> notes = timedNotes(*score);
    for (const TimedNote& n : notes)
      pitchClasses[static_cast<std::size_t>(n.pitch % 12)] += 1.0;
    const auto counts = ioiCounts(notes);
    for (std::size_t i = 0; i < kIoiBins; ++i)
      intervals[i] += counts[i];
    mean.notes += m.notes;
    mean.seconds += m.seconds;
    mean.pitchRange += m.pitchRange;
    mean.pitchesUsed += m.pitchesUsed;
    mean.polyphony += m.polyphony;
    mean.scaleConsistency += m.scaleConsistency;
    mean.emptyBeatRate += m.emptyBeatRate;
    mean.noteDensity += m.noteDensity;
    mean.grooveConsistency += m.grooveConsistency;
    mean.longestRepeat += m.longestRepeat;
    mean.distinct4gramRatio += m.distinct4gramRatio;
  }
  if (profile.pieces == 0) return {};
  const double n = static_cast<double>(profile.pieces);
  mean.notes = static_cast<std::size_t>(std::llround(static_cast<double>(mean.notes) / n));
  mean.seconds /= n;
  mean.pitchRange = static_cast<int>(std::lround(mean.pitchRange / n));
  mean.pitchesUsed = static_cast<int>(std::lround(mean.pitchesUsed / n));
  mean.polyphony /= n;
  mean.scaleConsistency /= n;
  mean.emptyBeatRate /= n;
  mean.noteDensity /= n;
  mean.grooveConsistency /= n;
  mean.longestRepeat = static_cast<int>(std::lround(mean.longestRepeat / n));
  mean.distinct4gramRatio /= n;
  mean.pitchClassHistogram = normalized(pitchClasses);
  mean.ioiHistogram = normalized(intervals);
  return profile;
}

SetDistances setDistances(const std::vector<MusicMetrics>& pieces, const std::vector<MusicMetrics>& reference) {
  std::vector<std::array<double, 12>> pcA, pcB;
  std::vector<std::array<double, kIoiBins>> ioiA, ioiB;
  for (const MusicMetrics& m : pieces) {
    pcA.push_back(m.pitchClassHistogram);
    ioiA.push_back(m.ioiHistogram);
  }
  for (const MusicMetrics& m : reference) {
    pcB.push_back(m.pitchClassHistogram);
    ioiB.push_back(m.ioiHistogram);
  }
  return {energyDistance(pcA, pcB), energyDistance(ioiA, ioiB)};
}

std::vector<int> pitchSequence(const midi::Score& score) {
  return corpus::pitchSequence(score);
}

Originality originality(const std::vector<std::vector<int>>& training, const std::vector<int>& piece, int n) {
  Originality result;
  if (piece.empty()) return result;
  // Share of n-grams found.
  if (piece.size() >= static_cast<std::size_t>(n)) {
    std::unordered_set<std::uint64_t> wanted;
    std::vector<std::uint64_t> windows;
    rollingHashes(piece, n, [&](std::size_t, std::uint64_t h) {
      wanted.insert(h);
      windows.push_back(h);
    });
    std::unordered_set<std::uint64_t> found;
    for (const std::vector<int>& sequence : training) {
      rollingHashes(sequence, n, [&](std::size_t, std::uint64_t h) {
        if (wanted.count(h)) found.insert(h);
      });
    }
    std::size_t copied = 0;
    for (std::uint64_t h : windows)
      copied += found.count(h);
    result.copiedNgramShare = static_cast<double>(copied) / static_cast<double>(windows.size());
  }
  // Longest copy: the largest length with some match (matches of length L imply L - 1).
  int low = 0;
  int high = static_cast<int>(piece.size());
  while (low < high) {
    const int middle = (low + high + 1) / 2;
    if (anyCopyOfLength(training, piece, middle)) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  result.longestCopyNotes = low;
  return result;
}

TakeEvaluation evaluateTake(const midi::Score& take, const ReferenceProfile& reference,
                            const std::vector<std::vector<int>>& training) {
  TakeEvaluation e;
  e.metrics = measure(take);
  e.pcHistDistance = histogramDistance(e.metrics.pitchClassHistogram, reference.mean.pitchClassHistogram);
  e.ioiHistDistance = histogramDistance(e.metrics.ioiHistogram, reference.mean.ioiHistogram);
  e.originality = originality(training, pitchSequence(take));
  return e;
}

std::string metricsJsonMembers(const MusicMetrics& m) {
  auto list = [](const auto& values) {
    std::string text = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
      text += (i ? ", " : "") + number(values[i]);
    return text + "]";
  };
  return "\"notes\": " + std::to_string(m.notes) + ", \"seconds\": " + number(m.seconds) +
         ", \"pitch_range\": " + std::to_string(m.pitchRange) + ", \"pitches_used\": " + std::to_string(m.pitchesUsed) +
         ", \"polyphony\": " + number(m.polyphony) + ", \"scale_consistency\": " + number(m.scaleConsistency) +
         ", \"empty_beat_rate\": " + number(m.emptyBeatRate) + ", \"note_density\": " + number(m.noteDensity) +
         ", \"groove_consistency\": " + number(m.grooveConsistency) +
         ", \"longest_repeat\": " + std::to_string(m.longestRepeat) +
         ", \"distinct_4gram_ratio\": " + number(m.distinct4gramRatio) +
         ", \"pitch_class_histogram\": " + list(m.pitchClassHistogram) + ", \"ioi_histogram\": " + list(m.ioiHistogram);
}

std::string takeJsonMembers(const TakeEvaluation& t) {
  return metricsJsonMembers(t.metrics) + ", \"pc_hist_distance\": " + number(t.pcHistDistance) +
         ", \"ioi_hist_distance\": " + number(t.ioiHistDistance) +
         ", \"copied_8gram_share\": " + number(t.originality.copiedNgramShare) +
         ", \"longest_copy_notes\": " + std::to_string(t.originality.longestCopyNotes);
}

} // namespace lyrebird::evaluate
