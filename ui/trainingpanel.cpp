#include "trainingpanel.h"

#include "appdata.h"
#include "guithread.h"
#include "metricschart.h"

#include "evaluate/calibration.h"
#include "train/dataset.h"

#include <QCheckBox>
#include <QComboBox>

#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <array>

#include <chrono>
#include <cmath>

namespace lyrebird::ui {

namespace {
QString eta(double seconds) {
  if (!(seconds > 0) || !std::isfinite(seconds)) return QStringLiteral("–");
  const int s = static_cast<int>(seconds);
  return s >= 3600 ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg(s / 60 % 60)
                   : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
// The Start from box's item that opens a file dialog.
const QString kChooseModelFile = QStringLiteral("<choose a model file>");

// The Tokens box after "automatic", in order.
std::array<tokenize::TokenizerConfig::Kind, 3> tokenizerKinds() {
  using Kind = tokenize::TokenizerConfig::Kind;
  return {Kind::Grid, Kind::Event, Kind::NoteChord};
}

} // namespace

QFormLayout* TrainingPanel::buildSettingsForm() {
  auto spin = [this](int lo, int hi, const QString& tip) {
    auto* s = new QSpinBox(this);
    s->setRange(lo, hi);
    s->setToolTip(tip);
    return s;
  };
  auto real = [this](double lo, double hi, int decimals, double step, const QString& tip) {
    auto* s = new QDoubleSpinBox(this);
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    s->setToolTip(tip);
    return s;
  };
  m_startFrom = new QComboBox(this);
  m_startFrom->setObjectName(QStringLiteral("startFrom"));
  m_startFrom->setToolTip(tr("Start from a model that already knows music, so a small folder shapes it in minutes "
                             "(fine-tuning: its network, tokens and keys stay its own), or learn from scratch"));
  if (const QString bundled = bundledModelPath(); !bundled.isEmpty())
    m_startFrom->addItem(tr("the bundled model"), bundled);
  m_startFrom->addItem(tr("nothing (learn from scratch)"), QString());
  m_startFrom->addItem(tr("a model file…"), kChooseModelFile);
  m_preset = new QComboBox(this);
  m_preset->setObjectName(QStringLiteral("preset"));
  for (const std::string& name : train::TrainingConfig::presetNames())
    m_preset->addItem(QString::fromStdString(name));
  m_preset->setToolTip(tr("seed-single / seed-stacked: the poster's models 1 and 2; default: Lyrebird's model"));
  m_epochs = spin(1, 100000, tr("Passes over the training files"));
  m_epochs->setObjectName(QStringLiteral("epochs"));
  m_minutes = real(0, 100000, 1, 5, tr("Stop (and save) after this many minutes; 0 = no limit"));
  m_autoSize = new QCheckBox(tr("From the music"), this);
  m_autoSize->setObjectName(QStringLiteral("autoSize"));
  m_autoSize->setToolTip(tr("Choose the layers, units and learning rate from the number of training tokens: "
                            "2 x 192 at 0.003 for under 1,000,000 tokens (a small folder learns faster in a "
                            "smaller network, measured), else 3 x 256 at 0.002"));
  m_hidden = spin(4, 4096, tr("LSTM units per layer"));
  m_hidden->setObjectName(QStringLiteral("hidden"));
  m_layers = spin(1, 8, tr("LSTM layers"));
  m_layers->setObjectName(QStringLiteral("layers"));
  m_sequence = spin(2, 4096, tr("Window length in tokens"));
  m_sequence->setObjectName(QStringLiteral("sequence"));
  m_batch = spin(1, 4096, tr("Windows per step"));
  m_batch->setObjectName(QStringLiteral("batch"));
  m_learningRate = real(1e-6, 1.0, 6, 1e-4, tr("Learning rate"));
  m_dropout = real(0, 0.9, 2, 0.05, tr("Dropout"));
  m_tokenizer = new QComboBox(this);
  m_tokenizer->setObjectName(QStringLiteral("tokenizer"));
  m_tokenizer->addItems(
      {tr("automatic"), QStringLiteral("grid"), QStringLiteral("event"), QStringLiteral("note-chord")});
  m_tokenizer->setToolTip(tr("How music becomes tokens. grid: notes on the beat grid, each with its length (for "
                             "sequenced or engraved music); event: note on/off and 10 ms time steps (for recorded "
                             "performances); note-chord: the poster's. Automatic chooses grid or event from the "
                             "corpus"));
  m_transpose = spin(train::TrainingConfig::kTransposeAuto, 12,
                     tr("Random transposition of each window by up to ± this many semitones; automatic: ±3 for "
                        "training music under 500,000 tokens (a small folder), none for more"));
  m_transpose->setSpecialValueText(tr("automatic"));
  m_patience = spin(0, 1000, tr("Stop after this many epochs without a better validation loss; 0 = never"));
  m_validFraction = real(0.0, 0.5, 2, 0.05, tr("Share of the files held out for validation"));
  m_seed = spin(0, 1 << 30, tr("Random seed: the same seed and settings give the same curves"));
  m_threads = spin(1, 64, tr("Torch threads (1 is fastest with OpenBLAS, measured)"));
  m_output = new QLineEdit(this);
  m_output->setObjectName(QStringLiteral("modelPath"));
  auto* browse = new QToolButton(this);
  browse->setText(QStringLiteral("…"));
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save Model As"), modelPath(), tr("Lyrebird models (*.lyrebird)"));
    if (!path.isEmpty()) setModelPath(path);
  });
  auto* outputRow = new QHBoxLayout;
  outputRow->addWidget(m_output, 1);
  outputRow->addWidget(browse);

  auto* form = new QFormLayout;
  form->addRow(tr("Start from"), m_startFrom);
  form->addRow(tr("Preset"), m_preset);
  form->addRow(tr("Epochs"), m_epochs);
  form->addRow(tr("Time limit (min)"), m_minutes);
  form->addRow(tr("Network size"), m_autoSize);
  form->addRow(tr("Hidden units"), m_hidden);
  form->addRow(tr("Layers"), m_layers);
  form->addRow(tr("Window"), m_sequence);
  form->addRow(tr("Batch"), m_batch);
  form->addRow(tr("Learning rate"), m_learningRate);
  form->addRow(tr("Dropout"), m_dropout);
  form->addRow(tr("Tokens"), m_tokenizer);
  form->addRow(tr("Transpose ±"), m_transpose);
  form->addRow(tr("Patience"), m_patience);
  form->addRow(tr("Validation share"), m_validFraction);
  form->addRow(tr("Seed"), m_seed);
  form->addRow(tr("Threads"), m_threads);
  form->addRow(tr("Model file"), outputRow);
  return form;
}

QWidget* TrainingPanel::buildControls(QFormLayout* form) {
  m_start = new QPushButton(tr("Start"), this);
  m_start->setObjectName(QStringLiteral("startTraining"));
  m_pause = new QPushButton(tr("Pause"), this);
  m_pause->setObjectName(QStringLiteral("pauseTraining"));
  auto sizeByHand = [this] {
    for (QWidget* w :
         {static_cast<QWidget*>(m_hidden), static_cast<QWidget*>(m_layers), static_cast<QWidget*>(m_learningRate)})
      w->setEnabled(!m_autoSize->isChecked());
  };
  connect(m_autoSize, &QCheckBox::toggled, this, sizeByHand);
  m_stop = new QPushButton(tr("Stop"), this);
  m_stop->setObjectName(QStringLiteral("stopTraining"));
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_start);
  buttons->addWidget(m_pause);
  buttons->addWidget(m_stop);
  auto* pastRun = new QPushButton(tr("Compare With a Past Run…"), this);
  pastRun->setToolTip(tr("Overlay the curves of a saved model's training on the charts"));
  connect(pastRun, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Compare With a Past Run"), QFileInfo(modelPath()).absolutePath(), tr("Lyrebird models (*.lyrebird)"));
    if (!path.isEmpty()) openPastRun(path);
  });
  m_progress = new QProgressBar(this);
  m_status = new QLabel(tr("Load a corpus to train on."), this);
  m_status->setObjectName(QStringLiteral("trainingStatus"));
  m_status->setWordWrap(true);

  // Start/Pause/Stop and the progress stay in view above the settings, which scroll.
  auto* formWidget = new QWidget(this);
  auto* formColumn = new QVBoxLayout(formWidget);
  formColumn->setContentsMargins(0, 0, 0, 0);
  formColumn->addLayout(form);
  formColumn->addWidget(pastRun);
  formColumn->addStretch();
  auto* formScroll = new QScrollArea(this);
  formScroll->setWidgetResizable(true);
  formScroll->setFrameShape(QFrame::NoFrame);
  formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  formScroll->setWidget(formWidget);
  formScroll->setMinimumWidth(formWidget->sizeHint().width() + formScroll->verticalScrollBar()->sizeHint().width());
  auto* settings = new QWidget(this);
  auto* left = new QVBoxLayout(settings);
  left->addLayout(buttons);
  left->addWidget(m_progress);
  left->addWidget(m_status);
  left->addWidget(formScroll, 1);
  return settings;
}

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
  QWidget* settings = buildControls(buildSettingsForm());
  m_chart = new MetricsChart(this);
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(settings);
  split->addWidget(m_chart);
  split->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  connect(m_preset, &QComboBox::currentTextChanged, this, &TrainingPanel::applyPreset);
  connect(m_startFrom, &QComboBox::currentIndexChanged, this, &TrainingPanel::onStartFromChosen);
  connect(m_start, &QPushButton::clicked, this, &TrainingPanel::start);
  connect(m_pause, &QPushButton::clicked, this, &TrainingPanel::pauseOrResume);
  connect(m_stop, &QPushButton::clicked, this, &TrainingPanel::stop);
  m_preset->setCurrentText(QStringLiteral("default"));
  applyPreset(QStringLiteral("default"));
  {
    const QSignalBlocker block(m_startFrom);
    m_startFrom->setCurrentIndex(m_startFrom->findData(QString()));
  }
  updateButtons();
}

TrainingPanel::~TrainingPanel() {
  if (m_worker.joinable()) {
    m_worker.request_stop();
    m_control.resume();
    m_worker.join();
  }
}

void TrainingPanel::applyPreset(const QString& name) {
  const Result<train::TrainingConfig> preset = train::TrainingConfig::fromPreset(name.toStdString());
  if (preset) setConfig(*preset);
}

void TrainingPanel::setConfig(const train::TrainingConfig& c) {
  m_base = c;
  const QSignalBlocker block(m_preset);
  m_preset->setCurrentText(QString::fromStdString(c.preset));
  m_epochs->setValue(c.epochs);
  m_minutes->setValue(c.maxMinutes);
  m_autoSize->setChecked(c.autoSize);
  m_hidden->setValue(c.model.hidden);
  m_layers->setValue(c.model.layers);
  m_sequence->setValue(c.sequenceLength);
  m_batch->setValue(c.batch);
  m_learningRate->setValue(c.learningRate);
  m_dropout->setValue(c.model.dropout);
  m_transpose->setValue(c.transpose);
  const auto kinds = tokenizerKinds();
  m_tokenizer->setCurrentIndex(
      c.autoTokenizer ? 0
                      : 1 + static_cast<int>(std::find(kinds.begin(), kinds.end(), c.tokenizer.kind) - kinds.begin()));
  m_patience->setValue(c.patience);
  m_validFraction->setValue(c.validFraction);
  m_seed->setValue(static_cast<int>(c.seed));
  m_threads->setValue(c.threads);
  proposeModelPath();
}

void TrainingPanel::onStartFromChosen(int index) {
  const QString chosen = m_startFrom->itemData(index).toString();
  if (chosen != kChooseModelFile) {
    setStartFrom(chosen);
    return;
  }
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Start From a Model"), QFileInfo(modelPath()).absolutePath(), tr("Lyrebird models (*.lyrebird)"));
  if (path.isEmpty() || !setStartFrom(path)) {
    const QSignalBlocker block(m_startFrom); // back to what was chosen before
    m_startFrom->setCurrentIndex(m_startFrom->findData(m_fromPath));
  }
}

bool TrainingPanel::setStartFrom(const QString& modelPath) {
  if (isTraining()) return false;
  bool ok = true;
  if (modelPath.isEmpty()) {
    m_fromPath.clear();
    applyPreset(m_preset->currentText());
  } else {
    const Result<train::Checkpoint> base = train::readCheckpoint(modelPath.toStdString());
    Status usable = base ? base->config.usableAsBase() : Status(base.error());
    if (usable) {
      m_fromPath = modelPath;
      setConfig(train::TrainingConfig::fineTuning(base->config, QFileInfo(modelPath).completeBaseName().toStdString(),
                                                  train::modelFingerprint(*base)));
    } else {
      m_status->setText(tr("%1 cannot be the start: %2")
                            .arg(QFileInfo(modelPath).fileName(), QString::fromStdString(usable.error().message)));
      ok = false;
    }
  }
  {
    const QSignalBlocker block(m_startFrom);
    int index = m_startFrom->findData(m_fromPath);
    if (index < 0) { // a model file chosen by hand: listed above "a model file…"
      index = m_startFrom->findData(kChooseModelFile);
      m_startFrom->insertItem(index, QFileInfo(m_fromPath).fileName(), m_fromPath);
      m_startFrom->setItemData(index, QDir::toNativeSeparators(m_fromPath), Qt::ToolTipRole);
    }
    m_startFrom->setCurrentIndex(index);
  }
  // A model's network, tokens and keys are its own.
  const bool scratch = m_fromPath.isEmpty();
  for (QWidget* w :
       {static_cast<QWidget*>(m_preset), static_cast<QWidget*>(m_autoSize), static_cast<QWidget*>(m_tokenizer)})
    w->setEnabled(scratch);
  for (QWidget* w : {static_cast<QWidget*>(m_hidden), static_cast<QWidget*>(m_layers)})
    w->setEnabled(scratch && !m_autoSize->isChecked());
  m_learningRate->setEnabled(!scratch || !m_autoSize->isChecked());
  if (ok && m_corpus) {
    m_status->setText(scratch ? tr("Ready to train on %1 (%2 files).").arg(m_corpusName).arg(m_corpus->stats.loaded)
                              : tr("Ready to shape %1 to %2 (%3 files).")
                                    .arg(QFileInfo(m_fromPath).completeBaseName(), m_corpusName)
                                    .arg(m_corpus->stats.loaded));
  }
  proposeModelPath();
  return ok;
}

void TrainingPanel::proposeModelPath() {
  if (m_corpusName.isEmpty() || isTraining()) return;
  const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/models");
  const QString name = m_fromPath.isEmpty()
                           ? QStringLiteral("%1-%2").arg(m_corpusName, m_preset->currentText())
                           : QStringLiteral("%1-from-%2").arg(m_corpusName, QFileInfo(m_fromPath).completeBaseName());
  setModelPath(QDir(folder).filePath(name + QStringLiteral(".lyrebird")));
}

train::TrainingConfig TrainingPanel::config() const {
  train::TrainingConfig c = m_base;
  c.epochs = m_epochs->value();
  c.maxMinutes = m_minutes->value();
  c.autoSize = m_autoSize->isChecked();
  c.model.hidden = m_hidden->value();
  c.model.layers = m_layers->value();
  c.sequenceLength = m_sequence->value();
  c.batch = m_batch->value();
  c.learningRate = m_learningRate->value();
  c.model.dropout = m_dropout->value();
  c.transpose = m_transpose->value();
  c.autoTokenizer = m_tokenizer->currentIndex() == 0;
  if (!c.autoTokenizer) c.tokenizer.kind = tokenizerKinds()[static_cast<std::size_t>(m_tokenizer->currentIndex() - 1)];
  c.patience = m_patience->value();
  c.validFraction = m_validFraction->value();
  c.seed = static_cast<std::uint64_t>(m_seed->value());
  c.threads = m_threads->value();
  return c;
}

QString TrainingPanel::modelPath() const {
  return m_output->text();
}
void TrainingPanel::setModelPath(const QString& path) {
  m_output->setText(path);
}

void TrainingPanel::setCorpus(std::shared_ptr<const corpus::Corpus> corpus, const QString& name) {
  m_corpus = std::move(corpus);
  m_corpusName = name;
  // What "automatic" will choose for this corpus, measured now (a pass over its onsets).
  QString automatic = tr("automatic");
  bool metrical = false;
  if (m_corpus) {
    double share = 0.0;
    const auto kind = train::chooseTokenizerKind(*m_corpus, train::TrainingConfig{}.tokenizer.gridResolution, &share);
    metrical = kind == tokenize::TokenizerConfig::Kind::Grid;
    automatic = tr("automatic: %1 (%2% of onsets on the beat grid)")
                    .arg(QString::fromUtf8(tokenize::TokenizerConfig::kindName(kind).data()))
                    .arg(100.0 * share, 0, 'f', 0);
  }
  m_tokenizer->setItemText(0, automatic);
  if (!isTraining()) {
    // Metrical music up to the largest folder measured learns more in the same minutes from a
    // model that already knows music (docs/measurements.md, "Fine-tuning"); the bundled model
    // learned grid tokens, so recorded performances (event tokens) learn from scratch.
    const QString bundled = bundledModelPath();
    const bool small = m_corpus && m_corpus->stats.notes < kStartFromBundledBelowNotes;
    setStartFrom(small && metrical && !bundled.isEmpty() ? bundled : QString());
    if (!m_corpus) m_status->setText(tr("Load a corpus to train on."));
  }
  updateButtons();
}

void TrainingPanel::start() {
  if (!m_corpus || isTraining()) return;
  const train::TrainingConfig c = config();
  if (const Status valid = c.validate(); !valid) {
    m_status->setText(QString::fromStdString(valid.error().message));
    return;
  }
  m_runningPath = modelPath();
  QDir().mkpath(QFileInfo(m_runningPath).absolutePath());
  m_chart->clear();
  m_lastLoss = NAN;
  m_progress->setRange(0, 0);
  m_status->setText(tr("Preparing the data…"));
  m_finished = false;
  m_control.resume();
  if (m_worker.joinable()) m_worker.join();
  QPointer<TrainingPanel> self(this);
  train::TrainingJob job;
  job.config = c;
  job.output = m_runningPath.toStdString();
  job.from = m_fromPath.toStdString();
  m_runEnd = std::make_shared<RunEnd>();
  m_worker = std::jthread([self, job, corpus = m_corpus, control = &m_control, end = m_runEnd](std::stop_token stop) {
    train::TrainingCallbacks callbacks;
    callbacks.metrics = [self](const train::MetricsRecord& r) {
      postToGui(self, [r](TrainingPanel& panel) { panel.onMetrics(r); });
    };
    // Every batch reports; the panel shows at most kProgressPerSecond of them a second, and
    // always an epoch's last.
    callbacks.progress = [self,
                          shown = std::chrono::steady_clock::time_point{}](const train::BatchProgress& p) mutable {
      const auto now = std::chrono::steady_clock::now();
      if (p.batchInEpoch < p.batchesInEpoch && now - shown < std::chrono::milliseconds(1000 / kProgressPerSecond))
        return;
      shown = now;
      postToGui(self, [p](TrainingPanel& panel) { panel.onProgress(p); });
    };
    callbacks.snapshot = [self](const std::filesystem::path& path, const std::string& error) {
      postToGui(self, [file = QString::fromStdString(path.string()), why = QString::fromStdString(error)](
                          TrainingPanel& panel) { Q_EMIT panel.snapshotReady(file, why); });
    };
    callbacks.log = [self](const std::string& line) {
      postToGui(self, [text = QString::fromStdString(line)](TrainingPanel& panel) { Q_EMIT panel.logMessage(text); });
    };
    const Result<train::TrainingOutcome> outcome = train::runTraining(*corpus, job, *control, stop, callbacks);
    if (outcome) {
      end->model = QString::fromStdString(train::bestOrLastCheckpoint(*outcome).string());
      end->bestLoss = outcome->bestValidLoss;
      if (!outcome->cancelled && !stop.stop_requested()) {
        // The model's repeat setting, measured on the music it learned (what `train` does).
        postToGui(self, [](TrainingPanel& panel) {
          panel.m_status->setText(tr("Measuring how much its takes should repeat…"));
        });
        const Result<evaluate::RepeatCalibration> calibration =
            evaluate::calibrateModelFile(end->model.toStdString(), *corpus, {}, stop);
        const QString line =
            calibration ? tr("Repeat ↔ vary for this model: %1. There its takes repeat their figures about as much "
                             "as the music it learned (distinct 4-gram ratio %2, the music's %3).")
                              .arg(calibration->sampling.repeat, 0, 'f', 2)
                              .arg(calibration->sampling.achievedRatio, 0, 'f', 2)
                              .arg(calibration->sampling.targetRatio, 0, 'f', 2)
                        : tr("Repeat ↔ vary not measured: %1").arg(QString::fromStdString(calibration.error().message));
        postToGui(self, [line](TrainingPanel& panel) { Q_EMIT panel.logMessage(line); });
      }
    } else {
      end->error = QString::fromStdString(outcome.error().describe());
    }
    postToGui(self, [end](TrainingPanel& panel) { panel.onFinished(*end); });
  });
  updateButtons();
  Q_EMIT started();
}

bool TrainingPanel::openPastRun(const QString& path) {
  const Result<train::Checkpoint> checkpoint = train::readCheckpoint(path.toStdString());
  if (!checkpoint) {
    m_status->setText(QString::fromStdString(checkpoint.error().describe()));
    return false;
  }
  m_chart->addOverlay(QFileInfo(path).completeBaseName(), checkpoint->history);
  Q_EMIT logMessage(
      tr("Overlaid the curves of %1 (%2 points).").arg(QDir::toNativeSeparators(path)).arg(checkpoint->history.size()));
  return true;
}

void TrainingPanel::pauseOrResume() {
  if (!isTraining()) return;
  if (m_control.paused()) {
    m_control.resume();
    m_status->setText(tr("Resumed."));
  } else {
    m_control.pause();
    m_status->setText(tr("Paused (after the current batch)."));
  }
  updateButtons();
}

void TrainingPanel::stop() {
  if (!m_worker.joinable()) return;
  m_status->setText(tr("Stopping and saving…"));
  m_worker.request_stop();
  m_control.resume();
  m_worker.join(); // the trainer checks between batches and saves a checkpoint
  m_worker = {};
  // The queued "finished" call may still be pending: settle now (the thread has written m_runEnd).
  if (!m_finished) onFinished(*m_runEnd);
}

void TrainingPanel::requestSnapshot() {
  if (!isTraining()) {
    Q_EMIT snapshotReady({}, tr("No training is running."));
    return;
  }
  // One file a session, replaced by each snapshot: the last one is all a take needs.
  const QString folder = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
  QDir().mkpath(folder);
  m_control.requestSnapshot((folder + QStringLiteral("/training-snapshot.lyrebird")).toStdString());
}

void TrainingPanel::onMetrics(const train::MetricsRecord& r) {
  if (m_finished) return;
  m_chart->add(r);
  m_lastLoss = std::isnan(r.validLoss) ? r.trainLoss : r.validLoss;
}

void TrainingPanel::onProgress(const train::BatchProgress& p) {
  if (m_finished || p.batchesInEpoch <= 0) return;
  const int epochs = m_epochs->value();
  m_progress->setRange(0, 1000);
  const double done =
      (p.epoch - 1 + static_cast<double>(p.batchInEpoch) / static_cast<double>(p.batchesInEpoch)) / epochs;
  m_progress->setValue(static_cast<int>(std::clamp(done, 0.0, 1.0) * 1000));
  const QString line = tr("Epoch %1/%2 · batch %3/%4 · loss %5 · %6 tokens/s · ETA %7")
                           .arg(p.epoch)
                           .arg(epochs)
                           .arg(p.batchInEpoch)
                           .arg(p.batchesInEpoch)
                           .arg(std::isnan(m_lastLoss) ? p.loss : m_lastLoss, 0, 'f', 3)
                           .arg(static_cast<qint64>(p.tokensPerSecond))
                           .arg(eta(p.etaSeconds));
  m_status->setText(line);
  Q_EMIT progressed(line);
}

void TrainingPanel::onFinished(const RunEnd& end) {
  if (m_finished) return;
  m_finished = true;
  m_progress->setRange(0, 1000);
  m_progress->setValue(end.error.isEmpty() ? 1000 : 0);
  // A run that stopped early went on past its best weights (the patience) and may have
  // overfitted since: Generate gets the best, as `experiment` and `--export` do.
  const QString model = end.model.isEmpty() ? m_runningPath : end.model;
  QString status = tr("Saved %1.").arg(QDir::toNativeSeparators(m_runningPath));
  if (model != m_runningPath) {
    status = tr("Saved %1; Generate uses its best version, %2 (validation loss %3).")
                 .arg(QDir::toNativeSeparators(m_runningPath), QFileInfo(model).fileName())
                 .arg(end.bestLoss, 0, 'f', 3);
  }
  m_status->setText(end.error.isEmpty() ? status : end.error);
  updateButtons();
  Q_EMIT finished(model, end.error);
}

void TrainingPanel::updateButtons() {
  const bool training = isTraining();
  m_start->setEnabled(!training && m_corpus);
  m_pause->setEnabled(training);
  m_pause->setText(m_control.paused() ? tr("Resume") : tr("Pause"));
  m_stop->setEnabled(training);
  m_startFrom->setEnabled(!training);
  m_preset->setEnabled(!training && m_fromPath.isEmpty());
}

} // namespace lyrebird::ui
