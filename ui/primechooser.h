#pragma once

#include "base/result.h"
#include "midi/score.h"

#include <QWidget>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

class QComboBox;

namespace lyrebird::ui {

class PhraseRecorder;

/// What a generation continues: nothing, a window of the corpus, a MIDI file (asked for when
/// chosen), the piano roll's selection, or a phrase recorded from a MIDI keyboard (the Record
/// row shows while that is chosen). GUI thread only.
class PrimeChooser : public QWidget {
  Q_OBJECT

public:
  enum Source { NoPrime, CorpusWindow, MidiFile, Selection, Recording };

  explicit PrimeChooser(QWidget* parent = nullptr);

  /// Where the corpus's pieces and the piano roll's selection come from (the main window's).
  void setSources(std::function<std::vector<midi::Score>()> corpusPieces, std::function<midi::Score()> selection);
  Source source() const;
  PhraseRecorder* recorder() const { return m_recorder; }

  /// The music to continue for the take of `seed` (a corpus window depends on it): nullopt for
  /// none; an error says what to do first ("Load a corpus first ...") or why the file failed.
  /// A recording in progress ends here and is continued.
  Result<std::optional<midi::Score>> prime(std::uint64_t seed);

private:
  void chooseFile();

  QComboBox* m_source = nullptr;
  PhraseRecorder* m_recorder = nullptr;
  QString m_file;
  std::function<std::vector<midi::Score>()> m_corpusPieces;
  std::function<midi::Score()> m_selection;
};

} // namespace lyrebird::ui
