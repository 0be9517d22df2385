#include "tokenize/notechordtokenizer.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace lyrebird::tokenize {

NoteChordTokenizer::NoteChordTokenizer(const TokenizerConfig& config) : Tokenizer(config) {}

std::vector<NoteChordTokenizer::Onset> NoteChordTokenizer::onsets(const midi::Score& score) const {
  struct Item {
    std::int64_t start;
    std::int64_t duration;
    std::uint8_t pitch;
  };
  std::vector<Item> notes;
  notes.reserve(score.noteCount());
  for (const midi::Track& track : score.tracks) {
    if (track.isDrum) continue;
    for (const midi::Note& n : track.notes)
      notes.push_back({n.startTicks, n.durationTicks, n.pitch});
  }
  std::sort(notes.begin(), notes.end(),
            [](const Item& a, const Item& b) { return a.start != b.start ? a.start < b.start : a.pitch < b.pitch; });

  const double ticksPerStep = static_cast<double>(std::max(1, score.ticksPerQuarter)) / config().stepsPerQuarter;
  auto steps = [&](std::int64_t ticks, int minimum) {
    const auto s = static_cast<long long>(std::llround(static_cast<double>(ticks) / ticksPerStep));
    return static_cast<int>(std::clamp<long long>(s, minimum, config().maxSteps));
  };
  std::vector<Onset> out;
  std::vector<std::int64_t> starts;
  for (std::size_t i = 0; i < notes.size();) {
    Onset onset;
    std::int64_t longest = 0;
    const std::int64_t start = notes[i].start;
    for (; i < notes.size() && notes[i].start == start; ++i) {
      if (onset.pitches.empty() || onset.pitches.back() != notes[i].pitch) onset.pitches.push_back(notes[i].pitch);
      longest = std::max(longest, notes[i].duration);
    }
    onset.durationSteps = steps(longest, 1);
    out.push_back(std::move(onset));
    starts.push_back(start);
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    out[k].stepsToNext = k + 1 < out.size() ? steps(starts[k + 1] - starts[k], 0) : out[k].durationSteps;
  }
  return out;
}

std::string NoteChordTokenizer::format(const Onset& onset) const {
  std::string s;
  for (std::size_t i = 0; i < onset.pitches.size(); ++i) {
    if (i) s += '.';
    s += std::to_string(onset.pitches[i]);
  }
  if (config().rhythm) {
    s += "_d" + std::to_string(onset.durationSteps) + "_s" + std::to_string(onset.stepsToNext);
  }
  return s;
}

std::optional<NoteChordTokenizer::Onset> NoteChordTokenizer::parse(std::string_view token) const {
  Onset onset;
  auto number = [](std::string_view text, int& value) {
    return !text.empty() && std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc{};
  };
  const std::size_t underscore = token.find('_');
  std::string_view pitches = token.substr(0, underscore);
  while (!pitches.empty()) {
    const std::size_t dot = pitches.find('.');
    int p = -1;
    if (!number(pitches.substr(0, dot), p) || p < 0 || p > 127) return std::nullopt;
    onset.pitches.push_back(static_cast<std::uint8_t>(p));
    if (dot == std::string_view::npos) break;
    pitches.remove_prefix(dot + 1);
  }
  if (onset.pitches.empty()) return std::nullopt;
  if (underscore != std::string_view::npos) {
    std::string_view rest = token.substr(underscore + 1);
    while (!rest.empty()) {
      const std::size_t next = rest.find('_');
      const std::string_view part = rest.substr(0, next);
      int value = 0;
      if (part.size() < 2 || !number(part.substr(1), value) || value < 0) return std::nullopt;
      if (part[0] == 'd')
        onset.durationSteps = value;
      else if (part[0] == 's')
        onset.stepsToNext = value;
      else
        return std::nullopt;
      if (next == std::string_view::npos) break;
      rest.remove_prefix(next + 1);
    }
  }
  return onset;
}

Vocabulary NoteChordTokenizer::buildVocabulary(std::span<const midi::Score* const> scores,
                                               std::uint64_t minCount) const {
  Vocabulary v;
  for (const midi::Score* score : scores) {
    for (const Onset& onset : onsets(*score))
      v.add(format(onset));
  }
  return minCount > 1 ? v.pruned(minCount) : v;
}

std::vector<TokenId> NoteChordTokenizer::encode(const midi::Score& score, const Vocabulary& vocabulary) const {
  std::vector<TokenId> ids;
  for (const Onset& onset : onsets(score))
    ids.push_back(vocabulary.id(format(onset)));
  return ids;
}

namespace {

class NoteChordDecoder final : public TokenDecoder {
public:
  NoteChordDecoder(const NoteChordTokenizer& tokenizer, const Vocabulary& vocabulary)
      : m_tokenizer(tokenizer), m_vocabulary(vocabulary) {
    const TokenizerConfig& c = tokenizer.config();
    const double ticksPerQuarter = kDecodedTicksPerQuarter;
    m_ticksPerStep = static_cast<std::int64_t>(ticksPerQuarter / c.stepsPerQuarter);
    m_fixedStep = static_cast<std::int64_t>(std::llround(c.fixedStepQuarters * ticksPerQuarter));
    m_fixedDuration = static_cast<std::int64_t>(std::llround(c.fixedDurationQuarters * ticksPerQuarter));
  }

  void push(TokenId id, std::vector<NoteEvent>& out) override {
    if (id == Vocabulary::kUnknown || id >= m_vocabulary.size()) return;
    const std::optional<NoteChordTokenizer::Onset> onset = m_tokenizer.parse(m_vocabulary.token(id));
    if (!onset) return;
    const bool rhythm = m_tokenizer.config().rhythm;
    // Faithful mode (no rhythm in the tokens): a fixed step and length, as the originals.
    const std::int64_t duration =
        rhythm ? std::max<std::int64_t>(1, onset->durationSteps) * m_ticksPerStep : m_fixedDuration;
    for (std::uint8_t pitch : onset->pitches) {
      const std::uint32_t note = m_nextNote++;
      out.push_back({NoteEvent::Kind::Start, note, m_now, pitch, NoteChordTokenizer::kDecodedVelocity});
      out.push_back({NoteEvent::Kind::End, note, m_now + duration, pitch, 0});
    }
    m_now += rhythm ? onset->stepsToNext * m_ticksPerStep : m_fixedStep;
  }

  void finish(std::vector<NoteEvent>&) override {} // every note ended with its start

  std::int64_t nowTicks() const override { return m_now; }

private:
  const NoteChordTokenizer& m_tokenizer;
  const Vocabulary& m_vocabulary;
  std::int64_t m_ticksPerStep = 0, m_fixedStep = 0, m_fixedDuration = 0;
  std::int64_t m_now = 0;
  std::uint32_t m_nextNote = 0;
};

} // namespace

std::unique_ptr<TokenDecoder> NoteChordTokenizer::decoder(const Vocabulary& vocabulary) const {
  return std::make_unique<NoteChordDecoder>(*this, vocabulary);
}

bool NoteChordTokenizer::transpose(std::span<TokenId> ids, int semitones, const Vocabulary& vocabulary) const {
  std::vector<TokenId> moved(ids.begin(), ids.end());
  for (TokenId& id : moved) {
    if (id == Vocabulary::kUnknown) continue;
    std::optional<Onset> onset = parse(vocabulary.token(id));
    if (!onset) return false;
    for (std::uint8_t& p : onset->pitches) {
      const int q = p + semitones;
      if (q < 0 || q > 127) return false;
      p = static_cast<std::uint8_t>(q);
    }
    id = vocabulary.id(format(*onset));
    if (id == Vocabulary::kUnknown) return false; // the transposed chord is not in the vocabulary
  }
  std::copy(moved.begin(), moved.end(), ids.begin());
  return true;
}

std::vector<std::uint8_t> NoteChordTokenizer::onsetPitches(TokenId id, const Vocabulary& vocabulary) const {
  if (id == Vocabulary::kUnknown || id >= vocabulary.size()) return {};
  const std::optional<Onset> onset = parse(vocabulary.token(id));
  return onset ? onset->pitches : std::vector<std::uint8_t>{};
}

double NoteChordTokenizer::quartersAdvanced(TokenId id, const Vocabulary& vocabulary) const {
  if (id == Vocabulary::kUnknown || id >= vocabulary.size()) return 0.0;
  if (!config().rhythm) return config().fixedStepQuarters;
  const std::optional<Onset> onset = parse(vocabulary.token(id));
  return onset ? static_cast<double>(onset->stepsToNext) / config().stepsPerQuarter : 0.0;
}

} // namespace lyrebird::tokenize
