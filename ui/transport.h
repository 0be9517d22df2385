#pragma once

#include "audio/player.h"
#include "midi/score.h"
#include "midi/tempomap.h"
#include "midiio/midischeduler.h"
#include "preferencesdialog.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace lyrebird::midiio {
class MidiOutput;
}

namespace lyrebird::ui {

/// The app's transport: live playback of the document through an audio::Player or, when
/// the preferences say so, to a MIDI output port (midiio::MidiScheduler), a playhead in ticks
/// polled ~30 times a second, and key preview. Without a SoundFont or an audio device it
/// still exists: `message()` says why nothing can be heard, and the position still moves
/// while "playing" so the piano roll behaves the same. GUI thread.
class Transport : public QObject {
  Q_OBJECT

public:
  explicit Transport(const SoundPreferences& preferences, QObject* parent = nullptr);
  /// Rebuilds the synth and audio output with new settings; what was loaded stays loaded.
  void reconfigure(const SoundPreferences& preferences);
  ~Transport() override;

  bool canSound() const { return m_midi || synthPlays(); }
  /// True when playback goes to a MIDI output port instead of the built-in synthesizer.
  bool playsToMidi() const { return m_midi != nullptr; }
  /// One sentence for the status bar: what plays, or why nothing can be heard.
  QString message() const { return m_message; }
  audio::Player* player() { return m_player.get(); }

  /// What plays from now on (stops playback; keeps the position when `keepPosition`).
  void setScore(const midi::Score& score, bool keepPosition = false);
  /// A generation: notes arrive through streamNote* and play as soon as they are due.
  void beginStream(const midi::Score& header, int program);
  void streamNoteStart(std::int64_t ticks, int pitch, int velocity);
  void streamNoteEnd(std::int64_t ticks, int pitch);
  void endStream();

  bool isPlaying() const;
  std::int64_t positionTicks() const;

public Q_SLOTS:
  void play();
  void stop();
  void togglePlay();
  void toStart();
  void seekTicks(std::int64_t ticks);
  void panic();
  void previewOn(int pitch);
  void previewOff(int pitch);

Q_SIGNALS:
  void positionChanged(std::int64_t ticks);
  void playingChanged(bool playing);

private:
  void poll();
  void build(const SoundPreferences& preferences);
  void openMidiOutput(const SoundPreferences& preferences);
  bool synthPlays() const { return !m_midi && m_player && m_player->hasDevice(); }

  std::unique_ptr<audio::Player> m_player;
  std::unique_ptr<midiio::MidiOutput> m_midiOut;
  std::unique_ptr<midiio::MidiScheduler> m_midi; // after m_midiOut: its sink sends there
  QString m_message;
  midi::Score m_score;       // what plays (not kept for streams)
  midi::Score m_tempoSource; // tempo map of what plays
  std::unique_ptr<midi::TempoMap> m_tempo;
  QTimer m_timer;
  bool m_wasPlaying = false;
  // Device-less fallback clock, so the playhead moves the same without sound.
  bool m_silentPlaying = false;
  double m_silentStartSeconds = 0.0;
  qint64 m_silentStartMs = 0;
  double m_lengthSeconds = 0.0;
};

} // namespace lyrebird::ui
