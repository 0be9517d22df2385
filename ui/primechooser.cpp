#include "primechooser.h"

#include "phraserecorder.h"

#include "generate/prime.h"
#include "midi/smfreader.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QVBoxLayout>

namespace lyrebird::ui {

namespace {
Error needed(const QString& sentence) {
  return Error{ErrorKind::NoMusic, {}, -1, sentence.toStdString()};
}
} // namespace

PrimeChooser::PrimeChooser(QWidget* parent) : QWidget(parent) {
  m_source = new QComboBox(this);
  m_source->addItems({tr("nothing (start fresh)"), tr("a window of the corpus"), tr("a MIDI file…"),
                      tr("the piano roll's selection"), tr("a phrase played on a MIDI keyboard")});
  m_source->setObjectName(QStringLiteral("prime"));
  m_recorder = new PhraseRecorder(this);
  m_recorder->setVisible(false);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_source);
  layout->addWidget(m_recorder);
  connect(m_source, &QComboBox::currentIndexChanged, this,
          [this](int index) { m_recorder->setVisible(index == Recording); });
  connect(m_source, &QComboBox::activated, this, [this](int index) {
    if (index == MidiFile) chooseFile();
  });
}

void PrimeChooser::setSources(std::function<std::vector<midi::Score>()> corpusPieces,
                              std::function<midi::Score()> selection) {
  m_corpusPieces = std::move(corpusPieces);
  m_selection = std::move(selection);
}

PrimeChooser::Source PrimeChooser::source() const {
  return static_cast<Source>(m_source->currentIndex());
}

void PrimeChooser::chooseFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Prime from a MIDI File"), m_file,
                                                    tr("MIDI files (*.mid *.midi *.kar *.rmi)"));
  if (path.isEmpty()) {
    m_source->setCurrentIndex(NoPrime);
  } else {
    m_file = path;
    m_source->setItemText(MidiFile, tr("MIDI file: %1").arg(QFileInfo(path).fileName()));
  }
}

Result<std::optional<midi::Score>> PrimeChooser::prime(std::uint64_t seed) {
  switch (source()) {
  case CorpusWindow: {
    const std::vector<midi::Score> pieces = m_corpusPieces ? m_corpusPieces() : std::vector<midi::Score>{};
    const Result<midi::Score> window = generate::corpusWindow(pieces, seed, 8.0);
    if (!window) return needed(tr("Load a corpus first to continue a window of it."));
    return std::optional<midi::Score>(*window);
  }
  case MidiFile: {
    Result<midi::SmfFile> file = midi::readSmfFile(m_file.toStdString());
    if (!file) return file.error();
    return std::optional<midi::Score>(std::move(file->score));
  }
  case Selection: {
    midi::Score selection = m_selection ? m_selection() : midi::Score{};
    if (selection.noteCount() == 0) return needed(tr("Select some notes in the piano roll to continue them."));
    return std::optional<midi::Score>(std::move(selection));
  }
  case Recording: {
    m_recorder->stop(); // Generate ends a recording and continues it
    if (m_recorder->recording().noteCount() == 0) {
      return needed(tr("Record a phrase on a MIDI keyboard first (Record, play, Stop Recording)."));
    }
    return std::optional<midi::Score>(m_recorder->recording());
  }
  case NoPrime: break;
  }
  return std::optional<midi::Score>();
}

} // namespace lyrebird::ui
