#pragma once

// Internal to lyrebird_generate: the generator's loaded model (Generator::Impl) and one
// generation's state (Generator::Take), shared by generator.cpp and infill.cpp.

#include "generate/copyguard.h"
#include "generate/generator.h"

#include "tokenize/tokenizer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace lyrebird::generate {

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
  double defaultRepeat = GenerateOptions::kRepeatSmallNetwork; // Generator::defaultRepeat()
};

namespace detail {

// The notes a generation has made, with the limits the options put on them: a maximum
// note length and the events that pass on to the listener and into the Score.
class NoteBook {
public:
  /// `shift`: semitones every note is moved by on its way out (the key it is written in); the
  /// velocities 1-127 are scaled into [minVelocity, maxVelocity] (the dynamics asked for).
  NoteBook(std::int64_t maxNoteTicks, int shift, int minVelocity, int maxVelocity,
           const std::function<void(const tokenize::NoteEvent&)>& onNote)
      : m_maxNoteTicks(maxNoteTicks), m_shift(shift), m_minVelocity(std::clamp(minVelocity, 1, 127)),
        m_maxVelocity(std::clamp(maxVelocity, m_minVelocity, 127)), m_onNote(onNote) {}

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
    if (event.kind == tokenize::NoteEvent::Kind::Start && (m_minVelocity > 1 || m_maxVelocity < 127)) {
      const int learned = std::clamp<int>(event.velocity, 1, 127);
      event.velocity =
          static_cast<std::uint8_t>(m_minVelocity + ((learned - 1) * (m_maxVelocity - m_minVelocity) + 63) / 126);
    }
    m_events.push_back(event);
    if (m_onNote) m_onNote(event);
  }

  std::int64_t m_maxNoteTicks;
  int m_shift;
  int m_minVelocity, m_maxVelocity;
  const std::function<void(const tokenize::NoteEvent&)>& m_onNote;
  std::vector<Entry> m_notes;
  std::size_t m_firstOpen = 0; // notes before it have all ended in the past
  std::vector<tokenize::NoteEvent> m_events;
};

} // namespace detail

// One generation's state: the network's running state and the lookback it reads, what sounds,
// the notes made so far, the masks the options and the token grammar put on the next token,
// and the guards against loops and copies. Generator::generate drives it token by token.
class Generator::Take {
public:
  Take(Impl& d, const GenerateOptions& options, const GenerateListener& listener, int shift, std::int64_t maxNoteTicks,
       std::vector<std::uint8_t> allowed)
      : m_d(d), m_options(options), m_listener(listener), m_v(d.checkpoint.vocabulary.size()),
        m_allowed(std::move(allowed)), m_stepper(*d.stepper),
        m_tracker(m_stepper.hasLookback() ? d.tokenizer->lookbackTracker() : nullptr),
        m_repeatLabels(m_stepper.hasRepeatLabels()), m_decoder(d.tokenizer->decoder(d.checkpoint.vocabulary)),
        // The length limit is for tokens that must release what they start; other tokens give
        // every note its length when it starts.
        m_book(options.maxNoteSeconds > 0 && d.hasReleaseTokens ? std::max<std::int64_t>(1, maxNoteTicks) : 0, shift,
               options.minVelocity, options.maxVelocity, listener.onNote),
        m_sampler(options.seed), m_repeat(options.repeat.value_or(d.defaultRepeat)), m_copies(d.checkpoint.copyIndex),
        m_guardCopies(options.avoidCopies && m_copies.active()) {
    m_stepper.reset();
  }

  /// Reads the prime: `window` (its last training window) into the network, `full` (or the
  /// window) into the decoder, which learns the meter from it.
  void prime(const std::vector<tokenize::TokenId>& window, const std::vector<tokenize::TokenId>& full) {
    for (tokenize::TokenId id : window) {
      followSounding(id);
      m_logits = step(id);
    }
    // A piece keeps the meter it starts in (the prime's, or the start token's): a bar token drawn
    // says "the next bar" and is written in that meter. The corpus's pieces rarely change meter; a
    // sampled change mid-piece breaks the bar grid the music stands on (measured: takes wandered
    // from 2/4 to 9/8). Masking the other meters' bars instead moved their probability to more
    // notes in the bar (measured: polyphony 8.8 against 4.3 and 3.8 in the corpus).
    for (tokenize::TokenId id : window) {
      if (m_d.tokenizer->barMeter(id) >= 0) m_barToken = id;
    }
    m_decoder->prime(full.empty() ? window : full);
    m_recent.assign(window.begin(), window.end());
  }

  std::int64_t nowTicks() const { return m_decoder->nowTicks(); }

  /// Ends the notes that reached the length limit by `now`. A note cut there is released in the
  /// token stream too, so the model hears what sounds; without release tokens the notes simply end.
  void releaseCapped(std::int64_t now) {
    m_capped.clear();
    m_book.enforceLength(now, m_capped);
    for (int pitch : m_capped) {
      const tokenize::TokenId release = m_d.tokenizer->releaseToken(pitch, m_d.checkpoint.vocabulary);
      if (release != tokenize::Vocabulary::kUnknown && m_sounding[static_cast<std::size_t>(pitch)] > 0) {
        m_recent.push_back(release);
        feed(release);
      }
    }
  }

  /// Draws the next token at `now` (a label drawn is the token it stands for).
  tokenize::TokenId draw(std::int64_t now) {
    std::span<const std::uint8_t> mask = stepMask(now);
    // After maxRepeatBars bars repeated token for token, the loop is broken (see breakLoop).
    const bool breakLoop = m_tracker && m_options.maxRepeatBars > 0 && m_repeatedBars >= m_options.maxRepeatBars;
    if (breakLoop) mask = loopBroken(mask);
    const std::size_t window =
        std::min<std::size_t>(m_recent.size(), static_cast<std::size_t>(m_options.repetitionWindow));
    std::span<const float> scores = m_logits;
    if (m_repeat != 0.0 && m_back.oneBar != tokenize::Vocabulary::kUnknown && !breakLoop) {
      m_steered.assign(m_logits.begin(), m_logits.end());
      m_steered[m_repeatLabels ? m_v : m_back.oneBar] += static_cast<float>(m_repeat);
      scores = m_steered;
    }
    if (m_options.density != 0.0) {
      // Fewer <-> more notes: every output that starts a note (a label by the token it stands for).
      if (scores.data() != m_steered.data()) m_steered.assign(m_logits.begin(), m_logits.end());
      for (std::size_t output = 0; output < m_steered.size(); ++output) {
        const tokenize::TokenId token = m_repeatLabels ? labelled(output) : static_cast<tokenize::TokenId>(output);
        if (token != tokenize::Vocabulary::kUnknown && m_d.onsetCount[token] > 0)
          m_steered[output] += static_cast<float>(m_options.density);
      }
      scores = m_steered;
    }
    tokenize::TokenId next = tokenize::Vocabulary::kUnknown;
    for (int attempt = 0;; ++attempt) {
      next = m_sampler.sample(scores, m_options.sampling, mask, std::span(m_recent).subspan(m_recent.size() - window),
                              spared());
      if (m_repeatLabels) next = labelled(static_cast<std::size_t>(next));
      // A note that would copy a training phrase is redrawn without it (rarely: runs of 17
      // are long), up to kCopyRedraws times; with nothing else allowed, it stands. (8 redraws
      // were too few for a tiny network whose few likely notes all continued a run.)
      if (attempt == kCopyRedraws || !m_guardCopies || !m_copies.wouldCopy(m_d.onsetPitches[next], now)) break;
      if (mask.data() != m_guarded.data()) m_guarded.assign(mask.begin(), mask.end());
      bool any = false;
      for (std::size_t output = 0; output < m_guarded.size(); ++output) {
        if (labelled(output) == next) m_guarded[output] = 0;
        any = any || m_guarded[output];
      }
      if (!any) break;
      mask = m_guarded;
    }
    if (m_barToken != tokenize::Vocabulary::kUnknown && m_d.tokenizer->barMeter(next) >= 0) next = m_barToken;
    return next;
  }

  /// Takes `next`, the `drawn`-th token drawn at `now`, into the piece and the network.
  void accept(tokenize::TokenId next, std::size_t drawn, std::int64_t now) {
    m_recent.push_back(next);
    if (m_recent.size() > 4096) m_recent.erase(m_recent.begin(), m_recent.end() - 1024);
    if (m_listener.onToken) m_listener.onToken(next, drawn);
    if (m_guardCopies) m_copies.place(m_d.onsetPitches[next], now);
    feed(next);
    if (m_tracker) {
      if (m_back.repeating == 0)
        m_repeatedBars = 0;
      else if (m_d.tokenizer->barMeter(next) >= 0)
        ++m_repeatedBars;
    }
  }

  /// The network's log-probability (nats) of `next` coming now, as it learned it: a token the
  /// lookback names was learned as the repeat label that stands for it.
  double logProbability(tokenize::TokenId next) const {
    std::size_t target = next;
    if (m_repeatLabels && m_back.oneBar != tokenize::Vocabulary::kUnknown && next == m_back.oneBar) {
      target = m_v;
    } else if (m_repeatLabels && m_back.twoBars != tokenize::Vocabulary::kUnknown && next == m_back.twoBars) {
      target = m_v + 1;
    }
    const float top = *std::max_element(m_logits.begin(), m_logits.end());
    double sum = 0.0;
    for (float logit : m_logits)
      sum += std::exp(static_cast<double>(logit - top));
    return static_cast<double>(m_logits[target] - top) - std::log(sum);
  }

  /// Takes `next` into the network and the piece without drawing it (music given, not written).
  void force(tokenize::TokenId next) {
    m_recent.push_back(next);
    feed(next);
  }

  /// The notes decoded so far (in the output key, decoded ticks).
  midi::Score notesSoFar() const { return tokenize::decodedScore(m_book.events()); }

  /// Ends the notes still sounding; the decoded notes (in the output key) and the meters named.
  std::pair<midi::Score, std::vector<midi::TimeSignature>> finish() {
    m_events.clear();
    m_decoder->finish(m_events);
    for (const tokenize::NoteEvent& e : m_events)
      m_book.add(e);
    return {tokenize::decodedScore(m_book.events()), m_decoder->timeSignatures()};
  }

private:
  /// How often a token that would copy a training run is drawn again without it (each redraw
  /// one sampling pass over the outputs).
  static constexpr int kCopyRedraws = 64;

  // What sounds, as the token stream has it (per pitch, the prime included): a release token is
  // only drawn for a pitch that sounds. One for a silent pitch would be a no-op that leaves the
  // notes that do sound hanging (measured: most notes of an undertrained model ran to the length
  // limit before this).
  void followSounding(tokenize::TokenId id) {
    for (std::uint8_t p : m_d.onsetPitches[id])
      ++m_sounding[p & 0x7f];
    if (const int released = m_d.releasedPitch[id]; released >= 0) {
      const auto pitch = static_cast<std::size_t>(released);
      m_sounding[pitch] = std::max(0, m_sounding[pitch] - 1);
    }
  }

  // A lookback network reads, beside each token, what followed its place one and two bars back.
  std::span<const float> step(tokenize::TokenId id) {
    if (!m_tracker) return m_stepper.step(id);
    m_back = m_tracker->push(id);
    return m_stepper.step(id, m_back.oneBar, m_back.twoBars, m_back.repeating, m_back.meter, m_back.toBarLine);
  }

  void feed(tokenize::TokenId id) {
    followSounding(id);
    m_events.clear();
    m_decoder->push(id, m_events);
    for (const tokenize::NoteEvent& e : m_events)
      m_book.add(e);
    m_logits = step(id);
  }

  // A network with repeat labels draws "repeat what followed here one (two) bars back" as the
  // outputs after the vocabulary; they stand for those tokens, allowed where the tokens are.
  tokenize::TokenId labelled(std::size_t label) const {
    return label == m_v ? m_back.oneBar : label == m_v + 1 ? m_back.twoBars : static_cast<tokenize::TokenId>(label);
  }

  // The outputs allowed at `now`: the options' mask, narrowed to what a well-formed stream can
  // say next and what fits under the polyphony limit, and the repeat labels where their tokens are.
  std::span<const std::uint8_t> stepMask(std::int64_t now) {
    std::span<const std::uint8_t> mask = m_allowed;
    if (m_options.maxPolyphony > 0 || m_d.hasReleaseTokens || m_decoder->hasGrammar()) {
      // Room for new notes under the limit; when a chord cannot fit but nothing else is
      // allowed (note-chord tokens all start notes), the chord-size limit alone applies.
      const int room = m_options.maxPolyphony > 0 ? m_options.maxPolyphony - m_book.sounding(now) : 255;
      m_stepAllowed.assign(m_allowed.begin(), m_allowed.end());
      m_decoder->restrictNext(m_stepAllowed); // only what a well-formed stream can say next
      bool any = false;
      for (std::size_t id = 0; id < m_v; ++id) {
        if (m_d.onsetCount[id] > room) m_stepAllowed[id] = 0;
        if (m_d.releasedPitch[id] >= 0 && m_sounding[static_cast<std::size_t>(m_d.releasedPitch[id])] == 0)
          m_stepAllowed[id] = 0;
        any = any || m_stepAllowed[id];
      }
      if (any) mask = m_stepAllowed;
    }
    if (m_repeatLabels) {
      m_outputAllowed.assign(mask.begin(), mask.end());
      for (std::size_t label = m_v; label < m_v + 2; ++label) {
        const tokenize::TokenId token = labelled(label);
        m_outputAllowed.push_back(token != tokenize::Vocabulary::kUnknown && mask[token]);
      }
      mask = m_outputAllowed;
    }
    return mask;
  }

  // The outputs top-k and top-p may not cut (GenerateOptions::truncateNotesOnly): every output
  // that starts no note, a repeat label by the token it stands for.
  std::span<const std::uint8_t> spared() {
    if (!m_options.truncateNotesOnly) return {};
    m_spared.resize(m_logits.size());
    for (std::size_t output = 0; output < m_spared.size(); ++output) {
      const tokenize::TokenId token = m_repeatLabels ? labelled(output) : static_cast<tokenize::TokenId>(output);
      m_spared[output] = token != tokenize::Vocabulary::kUnknown && m_d.onsetCount[token] == 0;
    }
    return m_spared;
  }

  // Repetition, not loops: a note that would go on repeating is not drawn, so the pitches vary
  // while the rhythm may stay (forbidding a repeated position or bar line instead skipped notes:
  // measured, fewer notes in the bar). With nothing else allowed, `mask` stands.
  std::span<const std::uint8_t> loopBroken(std::span<const std::uint8_t> mask) {
    m_guarded.assign(mask.begin(), mask.end());
    const std::array<tokenize::TokenId, 2> repeats{m_back.oneBar, m_back.twoBars};
    for (std::size_t i = 0; i < repeats.size(); ++i) {
      if (repeats[i] == tokenize::Vocabulary::kUnknown || m_d.onsetCount[repeats[i]] == 0) continue;
      m_guarded[repeats[i]] = 0;
      if (m_repeatLabels) m_guarded[m_v + i] = 0;
    }
    if (std::find(m_guarded.begin(), m_guarded.end(), std::uint8_t{1}) != m_guarded.end()) return m_guarded;
    return mask;
  }

  Impl& m_d;
  const GenerateOptions& m_options;
  const GenerateListener& m_listener;
  const std::size_t m_v; // vocabulary size; repeat labels are the outputs m_v and m_v + 1
  const std::vector<std::uint8_t> m_allowed;
  model::LstmStepper& m_stepper;
  const std::unique_ptr<tokenize::LookbackTracker> m_tracker;
  const bool m_repeatLabels;
  const std::unique_ptr<tokenize::TokenDecoder> m_decoder;
  detail::NoteBook m_book;
  Sampler m_sampler;
  double m_repeat;    // options.repeat, or the model's default
  CopyGuard m_copies; // no take copies a long run of its training music (the model file's index)
  const bool m_guardCopies;
  tokenize::LookbackTracker::Lookback m_back; // what followed here one and two bars back
  tokenize::TokenId m_barToken = tokenize::Vocabulary::kUnknown;
  std::array<int, 128> m_sounding{};
  std::span<const float> m_logits;
  std::vector<tokenize::TokenId> m_recent;
  int m_repeatedBars = 0; // bar lines passed while every token drawn repeated one or two bars back
  // Scratch, kept between steps to spare allocations.
  std::vector<tokenize::NoteEvent> m_events;
  std::vector<int> m_capped;
  std::vector<std::uint8_t> m_stepAllowed, m_outputAllowed, m_guarded, m_spared;
  std::vector<float> m_steered;
};

} // namespace lyrebird::generate
