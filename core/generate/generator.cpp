#include "generate/generator.h"

#include "generate/copyguard.h"

#include "model/lstmnetwork.h"
#include "model/lstmstepper.h"
#include "tokenize/tokenizer.h"
#include "train/checkpoint.h"
#include "train/torchstate.h"
#include "midi/random.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace lyrebird::generate {

Result<Length> Length::parse(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c)))
      s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  char* end = nullptr;
  const double amount = std::strtod(s.c_str(), &end);
  const std::string unit(end ? end : "");
  Length length;
  length.amount = amount;
  if (unit == "s" || unit == "sec" || unit == "seconds" || unit == "second") {
    length.unit = Unit::Seconds;
  } else if (unit == "bars" || unit == "bar") {
    length.unit = Unit::Bars;
  } else if (unit == "tokens" || unit == "token") {
    length.unit = Unit::Tokens;
  } else {
    return Error{ErrorKind::NotFound,
                 {},
                 -1,
                 "\"" + std::string(text) + "\" is not a length; write it like 30s, 16bars or 500tokens."};
  }
  if (end == s.c_str() || !(amount > 0.0) || amount > 1e6) {
    return Error{ErrorKind::NotFound, {}, -1, "The length must be a positive number, like 30s, 16bars or 500tokens."};
  }
  return length;
}

struct Generator::Impl {
  train::Checkpoint checkpoint;
  std::unique_ptr<tokenize::Tokenizer> tokenizer;
  std::unique_ptr<model::LstmStepper> stepper;
  std::vector<std::uint8_t> onsetCount; // pitches each token starts
  std::vector<std::uint8_t> onsetAllowedByDefault;
  std::vector<std::vector<std::uint8_t>> onsetPitches; // per token id
  std::vector<std::int16_t> releasedPitch;             // per token id; -1: releases nothing
  bool hasReleaseTokens = false;
  tokenize::TokenId startToken = 1;
};

Generator::Generator(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Generator::~Generator() = default;

const tokenize::Vocabulary& Generator::vocabulary() const {
  return m_impl->checkpoint.vocabulary;
}
int Generator::windowTokens() const {
  return m_impl->checkpoint.config.sequenceLength;
}
const train::TrainingConfig& Generator::trainingConfig() const {
  return m_impl->checkpoint.config;
}
const std::vector<train::MetricsRecord>& Generator::history() const {
  return m_impl->checkpoint.history;
}

std::string Generator::describe() const {
  const train::Checkpoint& c = m_impl->checkpoint;
  return c.config.preset + " model: " + m_impl->tokenizer->name() + " tokens (" + std::to_string(c.vocabulary.size()) +
         "), " + std::string(model::archName(c.config.model.arch)) + " LSTM " + std::to_string(c.config.model.layers) +
         "x" + std::to_string(c.config.model.hidden) + ", trained " + std::to_string(c.progress.step) + " steps";
}

double Generator::tempoBpm(const GenerateOptions& options) const {
  if (options.tempoBpm > 0.0) return options.tempoBpm;
  const train::TrainingConfig& c = m_impl->checkpoint.config;
  if (c.tokenizer.kind == tokenize::TokenizerConfig::Kind::Grid && c.corpusTempoBpm > 0.0) return c.corpusTempoBpm;
  return 60'000'000.0 / tokenize::kDecodedMicrosecondsPerQuarter;
}

std::optional<tokenize::Key> Generator::key(const GenerateOptions& options) const {
  const train::TrainingConfig& c = m_impl->checkpoint.config;
  if (!c.normalizeKeys) return std::nullopt;
  if (options.key) return options.key;
  std::uint64_t total = 0;
  for (std::uint32_t n : c.corpusKeys) total += n;
  if (total == 0) return tokenize::Key{};
  // Its own stream, so the key drawn never changes the notes' draws.
  SplitMix64 random(options.seed ^ 0x6B65795F64726177ull);
  std::uint64_t pick = random.below(total);
  for (std::size_t i = 0; i < c.corpusKeys.size(); ++i) {
    if (pick < c.corpusKeys[i]) return tokenize::Key::fromIndex(static_cast<int>(i));
    pick -= c.corpusKeys[i];
  }
  return tokenize::Key{};
}

midi::Score Generator::header(const GenerateOptions& options) const {
  midi::Score score;
  score.ticksPerQuarter = tokenize::kDecodedTicksPerQuarter;
  score.title = "Lyrebird";
  score.tempos = {{0, static_cast<std::uint32_t>(std::llround(60'000'000.0 / tempoBpm(options)))}};
  score.timeSignatures = {{0, 4, 4}};
  if (const std::optional<tokenize::Key> k = key(options); k && !options.prime) {
    score.keySignatures = {{0, static_cast<std::int8_t>(tokenize::keySignatureSharps(*k)), k->minor}};
  }
  midi::Track track;
  track.name = "Lyrebird";
  track.program = static_cast<std::uint8_t>(std::clamp(options.program, 0, 127));
  score.tracks.push_back(std::move(track));
  return score;
}

Result<std::unique_ptr<Generator>> Generator::load(const std::filesystem::path& path) {
  Result<train::Checkpoint> checkpoint = train::readCheckpoint(path);
  if (!checkpoint) return checkpoint.error();
  Result<std::unique_ptr<Generator>> generator = fromCheckpoint(std::move(checkpoint.value()));
  if (!generator) {
    Error e = generator.error();
    e.path = path.string();
    return e;
  }
  return generator;
}

Result<std::unique_ptr<Generator>> Generator::fromCheckpoint(train::Checkpoint checkpoint,
                                                             model::LstmStepper::Precision precision) {
  auto impl = std::make_unique<Impl>();
  impl->checkpoint = std::move(checkpoint);
  {
    Result<model::LstmNetwork> network = train::networkFromCheckpoint(impl->checkpoint);
    if (!network) return network.error();
    impl->stepper = std::make_unique<model::LstmStepper>(network.value()->stepperWeights(), precision);
  } // the torch network is not needed once its weights are copied
  impl->tokenizer = tokenize::Tokenizer::create(impl->checkpoint.config.tokenizer);
  const tokenize::Vocabulary& vocabulary = impl->checkpoint.vocabulary;
  if (static_cast<int>(vocabulary.size()) != impl->stepper->vocabularySize()) {
    return Error{ErrorKind::Corrupt, {}, -1, "The model's vocabulary does not match its network."};
  }
  std::uint64_t bestCount = 0;
  for (std::size_t id = 0; id < vocabulary.size(); ++id) {
    const auto token = static_cast<tokenize::TokenId>(id);
    impl->onsetPitches.push_back(impl->tokenizer->onsetPitches(token, vocabulary));
    impl->onsetCount.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(impl->onsetPitches.back().size(), 255)));
    impl->releasedPitch.push_back(static_cast<std::int16_t>(impl->tokenizer->releasedPitch(token, vocabulary)));
    impl->hasReleaseTokens = impl->hasReleaseTokens || impl->releasedPitch.back() >= 0;
    // Without a prime, the first input is the corpus's most frequent token (unless the tokenizer
    // names its own start).
    if (id > 0 && vocabulary.count(token) > bestCount) {
      bestCount = vocabulary.count(token);
      impl->startToken = token;
    }
  }

  return std::unique_ptr<Generator>(new Generator(std::move(impl)));
}

namespace {

// The notes a generation has made, with the limits the options put on them: a maximum
// note length and the events that pass on to the listener and into the Score.
class NoteBook {
public:
  /// `shift`: semitones every note is moved by on its way out (the key it is written in).
  NoteBook(std::int64_t maxNoteTicks, int shift, const std::function<void(const tokenize::NoteEvent&)>& onNote)
      : m_maxNoteTicks(maxNoteTicks), m_shift(shift), m_onNote(onNote) {}

  void add(const tokenize::NoteEvent& event) {
    if (event.kind == tokenize::NoteEvent::Kind::Start) {
      m_notes.push_back({event.ticks, -1, event.pitch});
      emit(event);
      return;
    }
    Entry& note = m_notes[event.note];
    if (note.endTicks >= 0) return; // already ended by the length limit
    tokenize::NoteEvent end = event;
    if (m_maxNoteTicks > 0) end.ticks = std::min(end.ticks, note.startTicks + m_maxNoteTicks);
    note.endTicks = end.ticks;
    emit(end);
  }

  /// Ends the notes that have reached the length limit by `nowTicks`; their pitches go to `ended`.
  void enforceLength(std::int64_t nowTicks, std::vector<int>& ended) {
    if (m_maxNoteTicks <= 0) return;
    for (std::size_t i = m_firstOpen; i < m_notes.size(); ++i) {
      Entry& note = m_notes[i];
      if (note.endTicks < 0 && note.startTicks + m_maxNoteTicks <= nowTicks) {
        note.endTicks = note.startTicks + m_maxNoteTicks;
        emit({tokenize::NoteEvent::Kind::End, static_cast<std::uint32_t>(i), note.endTicks, note.pitch, 0});
        ended.push_back(note.pitch);
      }
    }
    while (m_firstOpen < m_notes.size() && m_notes[m_firstOpen].endTicks >= 0 &&
           m_notes[m_firstOpen].endTicks <= nowTicks) {
      ++m_firstOpen;
    }
  }

  /// Notes sounding at `nowTicks` (started, not yet ended).
  int sounding(std::int64_t nowTicks) const {
    int count = 0;
    for (std::size_t i = m_firstOpen; i < m_notes.size(); ++i) {
      const Entry& note = m_notes[i];
      if (note.startTicks <= nowTicks && (note.endTicks < 0 || note.endTicks > nowTicks)) ++count;
    }
    return count;
  }

  const std::vector<tokenize::NoteEvent>& events() const { return m_events; }

private:
  struct Entry {
    std::int64_t startTicks;
    std::int64_t endTicks; // -1 while open
    std::uint8_t pitch;
  };
  void emit(tokenize::NoteEvent event) {
    event.pitch = static_cast<std::uint8_t>(std::clamp(event.pitch + m_shift, 0, 127));
    m_events.push_back(event);
    if (m_onNote) m_onNote(event);
  }

  std::int64_t m_maxNoteTicks;
  int m_shift;
  const std::function<void(const tokenize::NoteEvent&)>& m_onNote;
  std::vector<Entry> m_notes;
  std::size_t m_firstOpen = 0; // notes before it have all ended in the past
  std::vector<tokenize::NoteEvent> m_events;
};

} // namespace

Result<midi::Score> Generator::generate(const GenerateOptions& options, const GenerateListener& listener,
                                        std::stop_token stop) {
  Impl& d = *m_impl;
  const tokenize::Vocabulary& vocabulary = d.checkpoint.vocabulary;
  const std::size_t v = vocabulary.size();
  if (!(options.tempoBpm >= 0.0)) return Error{ErrorKind::NotFound, {}, -1, "The tempo must be above 0 BPM."};
  const double tempo = tempoBpm(options);

  // A model that learned in C major / A minor writes in the key asked for (or drawn), and
  // continues a prime in the prime's key: the prime is moved to the learned key and the
  // music moved back by `shift` semitones as it is written.
  std::optional<midi::Score> prime;
  if (options.prime) prime = *options.prime;
  int shift = 0;
  std::optional<tokenize::Key> key = this->key(options);
  if (key && prime && prime->noteCount() > 0) key = tokenize::estimateKey(*prime);
  if (key) shift = -key->normalizingShift();
  auto outputPitch = [shift](int pitch) { return std::clamp(pitch + shift, 0, 127); };
  if (options.minPitch > options.maxPitch) {
    return Error{ErrorKind::NotFound, {}, -1, "The lowest pitch is above the highest one."};
  }
  if (options.maxPolyphony < 0) return Error{ErrorKind::NotFound, {}, -1, "The polyphony limit cannot be negative."};

  // Onsets outside the pitch range or the key, or larger chords than the polyphony limit,
  // are never drawn; "<unk>" never is.
  std::vector<std::uint8_t> allowed(v, 1);
  allowed[tokenize::Vocabulary::kUnknown] = 0;
  bool anyOnsetAllowed = false;
  for (std::size_t id = 1; id < v; ++id) {
    for (std::uint8_t learned : d.onsetPitches[id]) {
      const int p = outputPitch(learned);
      if (p < options.minPitch || p > options.maxPitch || (options.scale && !options.scale->contains(p))) {
        allowed[id] = 0;
      }
    }
    if (options.maxPolyphony > 0 && d.onsetCount[id] > options.maxPolyphony) allowed[id] = 0;
    anyOnsetAllowed = anyOnsetAllowed || (allowed[id] && d.onsetCount[id] > 0);
  }
  if (!anyOnsetAllowed) {
    return Error{ErrorKind::NotFound,
                 {},
                 -1,
                 "No note this model knows fits the chosen key, pitch range and polyphony; widen them."};
  }

  std::vector<tokenize::TokenId> primeTokens;
  std::vector<tokenize::TokenId> fullPrime;
  if (prime) {
    fullPrime = d.tokenizer->encode(*prime, vocabulary);
    if (shift != 0 && !d.tokenizer->transpose(fullPrime, -shift, vocabulary)) {
      d.tokenizer->transpose(fullPrime, shift > 0 ? 12 - shift : -12 - shift, vocabulary);
    }
    primeTokens = fullPrime;
    const auto window = static_cast<std::size_t>(std::max(1, d.checkpoint.config.sequenceLength));
    if (primeTokens.size() > window) {
      primeTokens.erase(primeTokens.begin(), primeTokens.end() - static_cast<std::ptrdiff_t>(window));
    }
  }
  if (primeTokens.empty()) {
    const tokenize::TokenId start = d.tokenizer->startToken(vocabulary, options.seed);
    primeTokens.push_back(start != tokenize::Vocabulary::kUnknown ? start : d.startToken);
  }

  // Stop when the piece is long enough, measured at the tempo it will be written at.
  const double quartersPerSecond = tempo / 60.0;
  const double targetQuarters = options.length.unit == Length::Unit::Seconds ? options.length.amount * quartersPerSecond
                                : options.length.unit == Length::Unit::Bars  ? options.length.amount * 4.0
                                                                             : 0.0;
  const auto targetTicks = static_cast<std::int64_t>(std::ceil(targetQuarters * tokenize::kDecodedTicksPerQuarter));
  const std::size_t maxTokens = options.length.unit == Length::Unit::Tokens
                                    ? static_cast<std::size_t>(options.length.amount)
                                    : std::size_t{200000}; // a guard, far beyond any real piece
  // Note lengths are measured in the result's ticks, i.e. at the written tempo.
  const auto maxNoteTicks = static_cast<std::int64_t>(
      std::llround(options.maxNoteSeconds * quartersPerSecond * tokenize::kDecodedTicksPerQuarter));

  // What sounds, as the token stream has it (per pitch, the prime included): a release
  // token is only drawn for a pitch that sounds. One for a silent pitch would be a no-op
  // that leaves the notes that do sound hanging (measured: most notes of an undertrained
  // model ran to the length limit before this).
  std::array<int, 128> sounding{};
  auto followSounding = [&](tokenize::TokenId id) {
    for (std::uint8_t p : d.onsetPitches[id])
      ++sounding[p & 0x7f];
    if (const int released = d.releasedPitch[id]; released >= 0) {
      sounding[static_cast<std::size_t>(released)] = std::max(0, sounding[static_cast<std::size_t>(released)] - 1);
    }
  };
  model::LstmStepper& stepper = *d.stepper;
  stepper.reset();
  std::span<const float> logits;
  // A lookback network reads, beside each token, what followed its place one and two bars back.
  const std::unique_ptr<tokenize::LookbackTracker> tracker =
      stepper.hasLookback() ? d.tokenizer->lookbackTracker() : nullptr;
  tokenize::LookbackTracker::Lookback back; // what followed here one and two bars back
  auto step = [&](tokenize::TokenId id) {
    if (!tracker) return stepper.step(id);
    back = tracker->push(id);
    return stepper.step(id, back.oneBar, back.twoBars, back.repeating);
  };
  // A network with repeat labels draws "repeat what followed here one (two) bars back" as the
  // outputs after the vocabulary; they stand for those tokens, allowed where the tokens are.
  const bool repeatLabels = stepper.hasRepeatLabels();
  auto labelled = [&](std::size_t label) {
    return label == v ? back.oneBar : label == v + 1 ? back.twoBars : static_cast<tokenize::TokenId>(label);
  };
  std::vector<std::uint8_t> outputAllowed;
  for (tokenize::TokenId id : primeTokens) {
    followSounding(id);
    logits = step(id);
  }

  // A piece keeps the meter it starts in (the prime's, or the start token's): a bar token drawn
  // says "the next bar" and is written in that meter. The corpus's pieces rarely change meter; a
  // sampled change mid-piece breaks the bar grid the music stands on (measured: takes wandered
  // from 2/4 to 9/8). Masking the other meters' bars instead moved their probability to more
  // notes in the bar (measured: polyphony 8.8 against 4.3 and 3.8 in the corpus).
  tokenize::TokenId barToken = tokenize::Vocabulary::kUnknown;
  for (tokenize::TokenId id : primeTokens) {
    if (d.tokenizer->barMeter(id) >= 0) barToken = id;
  }
  std::vector<float> steered;

  const std::unique_ptr<tokenize::TokenDecoder> decoder = d.tokenizer->decoder(vocabulary);
  decoder->prime(fullPrime.empty() ? primeTokens : fullPrime); // a grid decoder learns the meter
  // The length limit is for tokens that must release what they start; other tokens give
  // every note its length when it starts.
  const bool limitLengths = options.maxNoteSeconds > 0 && d.hasReleaseTokens;
  NoteBook book(limitLengths ? std::max<std::int64_t>(1, maxNoteTicks) : 0, shift, listener.onNote);
  std::vector<tokenize::NoteEvent> events;
  Sampler sampler(options.seed);
  std::vector<tokenize::TokenId> recent(primeTokens.begin(), primeTokens.end());
  std::vector<std::uint8_t> stepAllowed;
  std::vector<int> capped;
  auto feed = [&](tokenize::TokenId id) {
    followSounding(id);
    events.clear();
    decoder->push(id, events);
    for (const tokenize::NoteEvent& e : events)
      book.add(e);
    logits = step(id);
  };
  // No take copies a long run of its training music (the model file's index of it).
  CopyGuard copies(d.checkpoint.copyIndex);
  const bool guardCopies = options.avoidCopies && copies.active();
  // Bar lines passed while every token drawn repeated one or two bars back (the loop guard).
  int repeatedBars = 0;
  std::vector<std::uint8_t> guarded;

  std::size_t drawn = 0;
  while (drawn < maxTokens && !stop.stop_requested()) {
    const std::int64_t now = decoder->nowTicks();
    if (options.length.unit != Length::Unit::Tokens && now >= targetTicks) break;
    capped.clear();
    book.enforceLength(now, capped);
    // A note cut at the length limit is released in the token stream too, so the model
    // hears what sounds; without release tokens the notes simply end.
    for (int pitch : capped) {
      const tokenize::TokenId release = d.tokenizer->releaseToken(pitch, vocabulary);
      if (release != tokenize::Vocabulary::kUnknown && sounding[static_cast<std::size_t>(pitch)] > 0) {
        recent.push_back(release);
        feed(release);
      }
    }
    std::span<const std::uint8_t> mask = allowed;
    if (options.maxPolyphony > 0 || d.hasReleaseTokens || decoder->hasGrammar()) {
      // Room for new notes under the limit; when a chord cannot fit but nothing else is
      // allowed (note-chord tokens all start notes), the chord-size limit alone applies.
      const int room = options.maxPolyphony > 0 ? options.maxPolyphony - book.sounding(now) : 255;
      stepAllowed.assign(allowed.begin(), allowed.end());
      decoder->restrictNext(stepAllowed); // only what a well-formed stream can say next
      bool any = false;
      for (std::size_t id = 0; id < v; ++id) {
        if (d.onsetCount[id] > room) stepAllowed[id] = 0;
        if (d.releasedPitch[id] >= 0 && sounding[static_cast<std::size_t>(d.releasedPitch[id])] == 0)
          stepAllowed[id] = 0;
        any = any || stepAllowed[id];
      }
      if (any) mask = stepAllowed;
    }
    if (repeatLabels) {
      outputAllowed.assign(mask.begin(), mask.end());
      for (std::size_t label = v; label < v + 2; ++label) {
        const tokenize::TokenId token = labelled(label);
        outputAllowed.push_back(token != tokenize::Vocabulary::kUnknown && mask[token]);
      }
      mask = outputAllowed;
    }
    // After maxRepeatBars bars repeated token for token, a note that would go on repeating is
    // not drawn: the pitches vary, the rhythm may stay (forbidding a repeated position or bar
    // line instead skipped notes: measured, fewer notes in the bar).
    const bool breakLoop = tracker && options.maxRepeatBars > 0 && repeatedBars >= options.maxRepeatBars;
    if (breakLoop) {
      guarded.assign(mask.begin(), mask.end());
      const std::array<tokenize::TokenId, 2> repeats{back.oneBar, back.twoBars};
      for (std::size_t i = 0; i < repeats.size(); ++i) {
        if (repeats[i] == tokenize::Vocabulary::kUnknown || d.onsetCount[repeats[i]] == 0) continue;
        guarded[repeats[i]] = 0;
        if (repeatLabels) guarded[v + i] = 0;
      }
      if (std::find(guarded.begin(), guarded.end(), std::uint8_t{1}) != guarded.end()) mask = guarded;
    }
    const std::size_t window = std::min<std::size_t>(recent.size(), static_cast<std::size_t>(options.repetitionWindow));
    std::span<const float> scores = logits;
    if (options.repeat != 0.0 && back.oneBar != tokenize::Vocabulary::kUnknown && !breakLoop) {
      steered.assign(logits.begin(), logits.end());
      steered[repeatLabels ? v : back.oneBar] += static_cast<float>(options.repeat);
      scores = steered;
    }
    tokenize::TokenId next = tokenize::Vocabulary::kUnknown;
    for (int attempt = 0;; ++attempt) {
      next = sampler.sample(scores, options.sampling, mask, std::span(recent).subspan(recent.size() - window));
      if (repeatLabels) next = labelled(static_cast<std::size_t>(next));
      // A note that would copy a training phrase is redrawn without it (rarely: runs of 17
      // are long), at most a few times; with nothing else allowed, it stands.
      if (attempt == 8 || !guardCopies || !copies.wouldCopy(d.onsetPitches[next], now)) break;
      if (mask.data() != guarded.data()) guarded.assign(mask.begin(), mask.end());
      bool any = false;
      for (std::size_t output = 0; output < guarded.size(); ++output) {
        if (labelled(output) == next) guarded[output] = 0;
        any = any || guarded[output];
      }
      if (!any) break;
      mask = guarded;
    }
    if (barToken != tokenize::Vocabulary::kUnknown && d.tokenizer->barMeter(next) >= 0) next = barToken;
    ++drawn;
    recent.push_back(next);
    if (recent.size() > 4096) recent.erase(recent.begin(), recent.end() - 1024);
    if (listener.onToken) listener.onToken(next, drawn);
    if (guardCopies) copies.place(d.onsetPitches[next], now);
    feed(next);
    if (tracker) {
      if (back.repeating == 0) repeatedBars = 0;
      else if (d.tokenizer->barMeter(next) >= 0) ++repeatedBars;
    }
  }
  events.clear();
  decoder->finish(events);
  for (const tokenize::NoteEvent& e : events)
    book.add(e);

  const midi::Score decoded = tokenize::decodedScore(book.events());
  midi::Score score = header(options);
  if (!decoded.tracks.empty()) score.tracks.front().notes = decoded.tracks.front().notes;
  else score.tracks.clear();
  if (std::vector<midi::TimeSignature> meters = decoder->timeSignatures(); !meters.empty()) {
    score.timeSignatures = std::move(meters);
  }
  if (key) score.keySignatures = {{0, static_cast<std::int8_t>(tokenize::keySignatureSharps(*key)), key->minor}};
  return score;
}

} // namespace lyrebird::generate
