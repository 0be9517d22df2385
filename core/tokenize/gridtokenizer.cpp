#include "tokenize/gridtokenizer.h"

#include "base/random.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

namespace lyrebird::tokenize {

namespace {

struct GridNote {
  std::int64_t onset; // steps
  int duration;       // steps, >= 1
  std::uint8_t pitch;
  std::uint8_t velocity;
};

int meterSteps(const GridTokenizer::Meter& meter, int resolution) {
  return meter.numerator * 4 * resolution / meter.denominator;
}

} // namespace

std::array<GridTokenizer::Meter, GridTokenizer::kMeters> GridTokenizer::meters() {
  std::array<Meter, kMeters> m{};
  std::size_t i = 0;
  for (int n = 1; n <= 4; ++n)
    m[i++] = {static_cast<std::uint8_t>(n), 2};
  for (int n = 1; n <= 8; ++n)
    m[i++] = {static_cast<std::uint8_t>(n), 4};
  for (int n = 1; n <= 16; ++n)
    m[i++] = {static_cast<std::uint8_t>(n), 8};
  return m;
}

// The meter a file's time signature is written with: its own when named, else one of the
// same bar length in eighths, else 4/4.
std::size_t GridTokenizer::meterIndex(int numerator, int denominator) {
  const auto all = GridTokenizer::meters();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].numerator == numerator && all[i].denominator == denominator) return i;
  }
  if (denominator > 0) {
    const double eighths = numerator * 8.0 / denominator;
    if (eighths >= 1.0 && eighths <= 16.0 && std::abs(eighths - std::round(eighths)) < 1e-9) {
      for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i].denominator == 8 && all[i].numerator == static_cast<int>(std::lround(eighths))) return i;
      }
    }
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].numerator == 4 && all[i].denominator == 4) return i;
  }
  return 0;
}

namespace {

std::size_t kCommonTime() {
  return GridTokenizer::meterIndex(4, 4);
}

// The bars of a score on the grid, one after another from step 0: a time signature takes effect
// at the first bar that starts at or after it. encode() and barStartTicks() walk the same bars.
class BarWalker {
public:
  BarWalker(const midi::Score& score, int resolution, std::int64_t ticksPerQuarter)
      : m_resolution(resolution), m_meters(GridTokenizer::meters()) {
    for (const midi::TimeSignature& ts : score.timeSignatures)
      m_changes.emplace_back(toGridStep(ts.ticks, resolution, ticksPerQuarter),
                             GridTokenizer::meterIndex(ts.numerator, ts.denominator));
  }
  /// Moves to the next bar (the first call: the first bar) and returns its meter index.
  std::size_t next() {
    if (m_started) m_barStart += length();
    m_started = true;
    while (m_nextChange < m_changes.size() && m_changes[m_nextChange].first <= m_barStart)
      m_meter = m_changes[m_nextChange++].second;
    return m_meter;
  }
  std::int64_t start() const { return m_barStart; }
  int length() const { return meterSteps(m_meters[m_meter], m_resolution); }

  /// Round half up, in integers (no drift over long pieces).
  static std::int64_t toGridStep(std::int64_t ticks, int resolution, std::int64_t tpq) {
    return (2 * ticks * resolution + tpq) / (2 * tpq);
  }

private:
  int m_resolution;
  std::array<GridTokenizer::Meter, GridTokenizer::kMeters> m_meters;
  std::vector<std::pair<std::int64_t, std::size_t>> m_changes; // step, meter index
  std::size_t m_nextChange = 0;
  std::size_t m_meter = kCommonTime();
  std::int64_t m_barStart = 0;
  bool m_started = false;
};

} // namespace

GridTokenizer::GridTokenizer(const TokenizerConfig& config) : Tokenizer(config) {
  const int res = config.gridResolution;
  for (int d = 1; d <= 4 * res; ++d)
    m_durations.push_back(d);
  const int eighth = std::max(1, res / 2);
  for (int d = 4 * res + eighth; d <= 8 * res; d += eighth)
    m_durations.push_back(d);
  for (int d = 8 * res + res; d <= 16 * res; d += res)
    m_durations.push_back(d);
}

std::size_t GridTokenizer::durationBin(int steps) const {
  const auto it = std::lower_bound(m_durations.begin(), m_durations.end(), steps);
  if (it == m_durations.end()) return m_durations.size() - 1;
  if (it == m_durations.begin() || *it == steps) return static_cast<std::size_t>(it - m_durations.begin());
  const auto below = it - 1;
  return static_cast<std::size_t>((steps - *below <= *it - steps ? below : it) - m_durations.begin());
}

Vocabulary GridTokenizer::fixedVocabulary() const {
  Vocabulary v;
  for (const Meter& m : meters())
    v.add("bar" + std::to_string(m.numerator) + "/" + std::to_string(m.denominator), 0);
  for (int p = 0; p < positions(); ++p)
    v.add("pos" + std::to_string(p), 0);
  for (int p = 0; p < 128; ++p)
    v.add("p" + std::to_string(p), 0);
  for (int d : m_durations)
    v.add("d" + std::to_string(d), 0);
  for (int b = 0; b < config().velocityBins; ++b)
    v.add("vel" + std::to_string(b), 0);
  return v;
}

Vocabulary GridTokenizer::buildVocabulary(std::span<const midi::Score* const> scores, std::uint64_t) const {
  // Fixed, never pruned (every note stays expressible).
  return counted(fixedVocabulary(), scores);
}

std::vector<TokenId> GridTokenizer::encode(const midi::Score& score, const Vocabulary&) const {
  const int res = config().gridResolution;
  const std::int64_t tpq = score.ticksPerQuarter > 0 ? score.ticksPerQuarter : 480;
  auto toStep = [&](std::int64_t ticks) { return BarWalker::toGridStep(ticks, res, tpq); };
  std::vector<GridNote> notes;
  notes.reserve(score.noteCount());
  for (const midi::Track& track : score.tracks) {
    if (track.isDrum) continue;
    for (const midi::Note& note : track.notes) {
      const std::int64_t onset = toStep(note.startTicks);
      const std::int64_t end = toStep(note.endTicks());
      const auto duration = static_cast<int>(std::clamp<std::int64_t>(end - onset, 1, 1 << 20));
      notes.push_back({onset, duration, note.pitch, note.velocity});
    }
  }
  std::stable_sort(notes.begin(), notes.end(), [](const GridNote& a, const GridNote& b) {
    return a.onset != b.onset ? a.onset < b.onset : a.pitch < b.pitch;
  });
  std::vector<TokenId> ids;
  if (notes.empty()) return ids;
  ids.reserve(notes.size() * 3 + 64);

  BarWalker bars(score, res, tpq);
  int currentBin = -1;
  const int bins = config().velocityBins;
  std::size_t n = 0;
  while (n < notes.size()) {
    const std::size_t meter = bars.next();
    const std::int64_t barStart = bars.start();
    ids.push_back(barToken(meter));
    std::int64_t lastOnset = -1;
    for (; n < notes.size() && notes[n].onset < barStart + bars.length(); ++n) {
      const GridNote& note = notes[n];
      if (note.onset != lastOnset) {
        ids.push_back(positionToken(static_cast<int>(note.onset - barStart)));
        lastOnset = note.onset;
      }
      const int bin = std::clamp(note.velocity * bins / 128, 0, bins - 1);
      if (bin != currentBin) {
        ids.push_back(velocityToken(bin));
        currentBin = bin;
      }
      ids.push_back(pitchToken(note.pitch));
      ids.push_back(durationToken(durationBin(note.duration)));
    }
  }
  return ids;
}

std::vector<std::int64_t> GridTokenizer::barStartTicks(const midi::Score& score) const {
  const int res = config().gridResolution;
  const std::int64_t tpq = score.ticksPerQuarter > 0 ? score.ticksPerQuarter : 480;
  std::int64_t endTicks = 0;
  for (const midi::Track& track : score.tracks) {
    for (const midi::Note& note : track.notes)
      endTicks = std::max(endTicks, note.endTicks());
  }
  const std::int64_t endStep = BarWalker::toGridStep(endTicks, res, tpq);
  BarWalker bars(score, res, tpq);
  std::vector<std::int64_t> starts;
  do {
    bars.next();
    starts.push_back(bars.start() * tpq / res);
  } while (bars.start() + bars.length() < endStep);
  starts.push_back((bars.start() + bars.length()) * tpq / res);
  return starts;
}

namespace {

class GridDecoder final : public TokenDecoder {
public:
  GridDecoder(const GridTokenizer& tokenizer)
      : m_resolution(tokenizer.config().gridResolution), m_positions(tokenizer.positions()),
        m_velocityBins(tokenizer.config().velocityBins), m_durations(tokenizer.durationSteps()),
        m_meters(GridTokenizer::meters()), m_barBase(tokenizer.barToken(0)), m_positionBase(tokenizer.positionToken(0)),
        m_pitchBase(tokenizer.pitchToken(0)), m_durationBase(tokenizer.durationToken(0)),
        m_velocityBase(tokenizer.velocityToken(0)), m_meter(GridTokenizer::meterIndex(4, 4)),
        m_velocity(binVelocity(64 * m_velocityBins / 128)) {}

  void push(TokenId id, std::vector<NoteEvent>& out) override { apply(id, &out); }

  void prime(std::span<const TokenId> ids) override {
    for (TokenId id : ids)
      apply(id, nullptr);
    // Time starts again at the bar the prime ended in; its meter, velocity and position stay.
    m_barStart = 0;
    m_timeSignatures.clear();
    m_timeSignatures.push_back({0, m_meters[m_meter].numerator, m_meters[m_meter].denominator});
  }

  void finish(std::vector<NoteEvent>&) override {} // every note ended when it started

  std::int64_t nowTicks() const override { return ticks(m_barStart + m_position); }

  std::vector<midi::TimeSignature> timeSignatures() const override { return m_timeSignatures; }

  bool hasGrammar() const override { return true; }

  // bar, then a position, then notes (an optional velocity, a pitch, its length), then a later
  // position in the bar or the next bar; a pitch is always followed by its length.
  void restrictNext(std::vector<std::uint8_t>& allowed) const override {
    auto clear = [&allowed](int from, int count) {
      for (int i = from; i < from + count && i < static_cast<int>(allowed.size()); ++i)
        allowed[static_cast<std::size_t>(i)] = 0;
    };
    const int positions = m_positions;
    if (m_pitch >= 0) { // only a length may follow
      clear(0, m_durationBase);
      clear(m_velocityBase, m_velocityBins);
      return;
    }
    clear(m_durationBase, static_cast<int>(m_durations.size()));
    if (!m_placed) { // no position in this bar yet: no note
      clear(m_pitchBase, 128);
      clear(m_velocityBase, m_velocityBins);
    }
    const int first = m_placed ? m_position + 1 : 0;
    clear(m_positionBase, std::min(first, positions));
    const int end = barSteps();
    if (end < positions) clear(m_positionBase + end, positions - end);
  }

private:
  std::uint8_t binVelocity(int bin) const {
    return static_cast<std::uint8_t>(std::clamp((bin * 128 + 64) / m_velocityBins, 1, 127));
  }
  std::int64_t ticks(std::int64_t step) const { return step * kDecodedTicksPerQuarter / m_resolution; }
  int barSteps() const { return meterSteps(m_meters[m_meter], m_resolution); }
  void noteMeter() {
    const auto& m = m_meters[m_meter];
    const std::int64_t at = ticks(m_barStart);
    if (!m_timeSignatures.empty() && m_timeSignatures.back().ticks == at) m_timeSignatures.pop_back();
    if (m_timeSignatures.empty() || m_timeSignatures.back().numerator != m.numerator ||
        m_timeSignatures.back().denominator != m.denominator) {
      m_timeSignatures.push_back({at, m.numerator, m.denominator});
    }
  }

  void apply(TokenId id, std::vector<NoteEvent>* out) {
    const int v = id;
    if (v >= m_barBase && v < m_barBase + static_cast<int>(m_meters.size())) {
      // The first bar of a stream is the one the decoder starts in.
      if (!m_fresh) m_barStart += barSteps();
      m_meter = static_cast<std::size_t>(v - m_barBase);
      m_position = 0;
      m_placed = false;
      m_pitch = -1;
      noteMeter();
    } else if (v >= m_positionBase && v < m_positionBase + m_positions) {
      // Onsets never go back in time, nor past the bar.
      m_position = std::max(m_position, std::min(v - m_positionBase, barSteps() - 1));
      m_placed = true;
      m_pitch = -1;
    } else if (v >= m_pitchBase && v < m_pitchBase + 128) {
      m_pitch = v - m_pitchBase;
    } else if (v >= m_durationBase && v < m_durationBase + static_cast<int>(m_durations.size())) {
      if (m_pitch >= 0 && out) {
        const std::int64_t start = m_barStart + m_position;
        const auto pitch = static_cast<std::uint8_t>(m_pitch);
        const int steps = m_durations[static_cast<std::size_t>(v - m_durationBase)];
        out->push_back({NoteEvent::Kind::Start, m_nextNote, ticks(start), pitch, m_velocity});
        out->push_back({NoteEvent::Kind::End, m_nextNote, ticks(start + steps), pitch, 0});
        ++m_nextNote;
      }
      m_pitch = -1; // a length without a pitch before it is skipped
    } else if (v >= m_velocityBase && v < m_velocityBase + m_velocityBins) {
      m_velocity = binVelocity(v - m_velocityBase);
    } else {
      return; // "<unk>" and ids beyond the vocabulary
    }
    m_fresh = false;
  }

  int m_resolution, m_positions, m_velocityBins;
  std::vector<int> m_durations;
  std::array<GridTokenizer::Meter, GridTokenizer::kMeters> m_meters;
  int m_barBase, m_positionBase, m_pitchBase, m_durationBase, m_velocityBase;
  std::size_t m_meter;
  std::uint8_t m_velocity;
  std::int64_t m_barStart = 0; // steps
  int m_position = 0;          // steps into the bar
  int m_pitch = -1;            // waiting for its length
  bool m_placed = false;       // a position was named in this bar
  bool m_fresh = true;
  std::uint32_t m_nextNote = 0;
  std::vector<midi::TimeSignature> m_timeSignatures;
};

} // namespace

std::unique_ptr<TokenDecoder> GridTokenizer::decoder(const Vocabulary&) const {
  return std::make_unique<GridDecoder>(*this);
}

bool GridTokenizer::transpose(std::span<TokenId> ids, int semitones, const Vocabulary&) const {
  const int base = pitchBase();
  for (TokenId id : ids) {
    const int v = id;
    if (v >= base && v < base + 128 && (v - base + semitones < 0 || v - base + semitones > 127)) return false;
  }
  for (TokenId& id : ids) {
    const int v = id;
    if (v >= base && v < base + 128) id = static_cast<TokenId>(v + semitones);
  }
  return true;
}

std::vector<std::uint8_t> GridTokenizer::onsetPitches(TokenId id, const Vocabulary&) const {
  const int v = id;
  if (v >= pitchBase() && v < pitchBase() + 128) return {static_cast<std::uint8_t>(v - pitchBase())};
  return {};
}

double GridTokenizer::quartersAdvanced(TokenId id, const Vocabulary&) const {
  const int v = id;
  if (v < durationBase() || v >= velocityBase()) return 0.0;
  return static_cast<double>(m_durations[static_cast<std::size_t>(v - durationBase())]) / config().gridResolution;
}

GridFit gridFit(const midi::Score& score, int stepsPerQuarter) {
  GridFit fit;
  const std::int64_t tpq = score.ticksPerQuarter > 0 ? score.ticksPerQuarter : 480;
  for (const midi::Track& track : score.tracks) {
    if (track.isDrum) continue;
    for (const midi::Note& note : track.notes) {
      // The onset's distance to the nearest grid line, in steps, is distance / tpq (exact).
      const std::int64_t off = (note.startTicks * stepsPerQuarter) % tpq;
      const std::int64_t distance = std::min(off, tpq - off);
      if (distance * 10 <= tpq) ++fit.onGrid; // within a tenth of a step
      ++fit.total;
    }
  }
  return fit;
}

namespace {

class GridLookback final : public LookbackTracker {
public:
  GridLookback(int barBase, int positionBase, int positions, int resolution)
      : m_barBase(barBase), m_bars(static_cast<int>(GridTokenizer::kMeters)), m_positionBase(positionBase),
        m_positions(positions) {
    const auto all = GridTokenizer::meters();
    for (std::size_t m = 0; m < all.size(); ++m)
      m_barSteps[m] = std::min(meterSteps(all[m], resolution), positions);
  }

  int clockMeters() const override { return m_bars + 1; }
  int clockSteps() const override { return m_positions + 1; }

protected:
  Lookback next(TokenId id) override {
    const int v = id;
    // What followed the previous token's place; a "bar" follows the old bar's last place.
    if (m_place >= 0) m_current[m_place] = id;
    if (v >= m_barBase && v < m_barBase + m_bars) {
      m_twoBarsAgo = std::move(m_oneBarAgo);
      m_oneBarAgo = std::move(m_current);
      m_current.clear();
      m_position = -1;
      m_rank = 0;
      m_meter = v - m_barBase;
    } else if (v >= m_positionBase && v < m_positionBase + m_positions) {
      m_position = v - m_positionBase;
      m_rank = 0;
    } else {
      m_rank = std::min(m_rank + 1, kRanks - 1);
    }
    m_place = (m_position + 1) * kRanks + m_rank;
    Lookback out{find(m_oneBarAgo), find(m_twoBarsAgo), 0};
    if (m_meter >= 0) {
      const int bar = m_barSteps[static_cast<std::size_t>(m_meter)];
      out.meter = m_meter + 1;
      out.toBarLine = std::clamp(bar - std::max(m_position, 0), 1, m_positions);
    }
    return out;
  }

private:
  static constexpr int kRanks = 64;
  TokenId find(const std::unordered_map<int, TokenId>& bar) const {
    const auto it = bar.find(m_place);
    return it == bar.end() ? Vocabulary::kUnknown : it->second;
  }

  int m_barBase, m_bars, m_positionBase, m_positions;
  std::array<int, GridTokenizer::kMeters> m_barSteps{}; // each meter's bar, in steps (at most a window of positions)
  int m_meter = -1;                                     // the current bar's meter index; -1 before the first bar
  int m_position = -1;                                  // onset position in the bar; -1 before the first
  int m_rank = 0;                                       // tokens since the bar or position token
  int m_place = -1;                                     // of the last token pushed
  std::unordered_map<int, TokenId> m_current, m_oneBarAgo, m_twoBarsAgo; // place -> the token after it
};

} // namespace

std::unique_ptr<LookbackTracker> GridTokenizer::lookbackTracker() const {
  return std::make_unique<GridLookback>(kBarBase, kPositionBase, positions(), config().gridResolution);
}

TokenId GridTokenizer::startToken(const Vocabulary& vocabulary, std::uint64_t seed) const {
  std::uint64_t total = 0;
  for (std::size_t m = 0; m < kMeters; ++m)
    total += vocabulary.count(barToken(m));
  if (total == 0) return barToken(kCommonTime());
  SplitMix64 random(seed ^ 0x6D657465725F6472ull); // a stream of its own: the notes' draws do not move
  std::uint64_t pick = random.below(total);
  for (std::size_t m = 0; m < kMeters; ++m) {
    const std::uint64_t n = vocabulary.count(barToken(m));
    if (pick < n) return barToken(m);
    pick -= n;
  }
  return barToken(kCommonTime());
}

} // namespace lyrebird::tokenize
