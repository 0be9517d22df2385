#include "generatepanel.h"

#include "gmprograms.h"
#include "guithread.h"
#include "phraserecorder.h"
#include "preferencesdialog.h"
#include "primechooser.h"
#include "takelist.h"

#include "generate/scale.h"
#include "midiio/midimessages.h"

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
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <utility>

namespace lyrebird::ui {

namespace {
constexpr int kKeptRole = Qt::UserRole + 1;
} // namespace

GeneratePanel::GeneratePanel(QWidget* parent) : QWidget(parent) {
  m_model = new QLabel(tr("No model loaded."), this);
  m_model->setWordWrap(true);
  m_model->setObjectName(QStringLiteral("modelLabel"));
  auto* open = new QPushButton(tr("Open Model…"), this);
  connect(open, &QPushButton::clicked, this, &GeneratePanel::chooseModel);
  m_fromTraining = new QCheckBox(tr("Use the model being trained"), this);
  m_fromTraining->setObjectName(QStringLiteral("fromTraining"));
  m_fromTraining->setToolTip(
      tr("Generate with the training's latest weights, without stopping it, to hear it improve"));
  m_fromTraining->setEnabled(false);
  connect(m_fromTraining, &QCheckBox::toggled, this, [this] { updateButtons(); });

  QFormLayout* form = buildSettingsForm();

  m_generate = new QPushButton(tr("Generate"), this);
  m_generate->setObjectName(QStringLiteral("generate"));
  m_generate->setDefault(true);
  m_stop = new QPushButton(tr("Stop"), this);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_generate, 1);
  buttons->addWidget(m_stop);

  m_status = new QLabel(this);
  m_status->setWordWrap(true);
  m_status->setObjectName(QStringLiteral("generateStatus"));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_model);
  layout->addWidget(open);
  layout->addWidget(m_fromTraining);
  // Generate stays in view at the top; the settings follow.
  layout->addLayout(buttons);
  layout->addWidget(m_status);
  layout->addLayout(form);
  // The takes: part of this panel until the main window docks them on their own. Then the
  // stretch keeps the settings together at the top of a tall dock.
  layout->addWidget(buildTakesPanel(), 1);
  layout->addStretch();

  connect(m_generate, &QPushButton::clicked, this, &GeneratePanel::generate);
  connect(m_stop, &QPushButton::clicked, this, &GeneratePanel::stopGenerating);
  updateButtons();
}

QFormLayout* GeneratePanel::buildSettingsForm() {
  // The measured-best sampling settings (generate::GenerateOptions's defaults, shared with the CLI).
  const generate::GenerateOptions defaults;
  m_temperature = new QDoubleSpinBox(this);
  m_temperature->setObjectName(QStringLiteral("temperature"));
  m_temperature->setRange(0.0, 5.0);
  m_temperature->setSingleStep(0.05);
  m_temperature->setValue(defaults.sampling.temperature);
  m_temperature->setToolTip(tr("0 always takes the likeliest token; higher is more adventurous"));
  m_topK = new QSpinBox(this);
  m_topK->setRange(0, 1000);
  m_topK->setSpecialValueText(tr("all"));
  m_topK->setValue(defaults.sampling.topK);
  m_topP = new QDoubleSpinBox(this);
  m_topP->setObjectName(QStringLiteral("topP"));
  m_topP->setRange(0.01, 1.0);
  m_topP->setSingleStep(0.05);
  m_topP->setValue(defaults.sampling.topP);
  m_topP->setToolTip(tr("Draw only among the likeliest tokens that make up this share of the probability"));
  m_penalty = new QDoubleSpinBox(this);
  m_penalty->setRange(1.0, 5.0);
  m_penalty->setSingleStep(0.05);
  m_penalty->setValue(defaults.sampling.repetitionPenalty);
  m_penalty->setToolTip(tr("Above 1 discourages repeating the last tokens"));
  m_repeat = new QDoubleSpinBox(this);
  m_repeat->setObjectName(QStringLiteral("repeat"));
  m_repeat->setRange(-10.0, 10.0);
  m_repeat->setSingleStep(0.5);
  m_repeat->setValue(generate::GenerateOptions::kRepeatSmallNetwork);
  m_repeat->setToolTip(tr("Above 0 the music repeats the figure of the bar before more often than the model would, "
                          "below 0 less (models with bar tokens). Until changed, each model's own: measured on "
                          "the music it learned when its training ended, so that its takes repeat about as much "
                          "as that music; for models trained before, %1 for a large network that learned much "
                          "music, %2 for the rest")
                           .arg(generate::GenerateOptions::kRepeatLargeNetwork)
                           .arg(generate::GenerateOptions::kRepeatSmallNetwork));
  connect(m_repeat, &QDoubleSpinBox::valueChanged, this, [this] { m_repeatChosen = true; });
  m_length = new QLineEdit(QStringLiteral("30s"), this);
  m_length->setObjectName(QStringLiteral("length"));
  m_length->setToolTip(tr("30s, 16bars or 500tokens"));
  m_variations = new QSpinBox(this);
  m_variations->setRange(1, 20);
  m_seed = new QSpinBox(this);
  m_seed->setObjectName(QStringLiteral("seed"));
  m_seed->setRange(0, 1 << 30);
  m_randomSeed = new QCheckBox(tr("new each time"), this);
  m_randomSeed->setObjectName(QStringLiteral("randomSeed"));
  m_randomSeed->setChecked(true);
  auto* seedRow = new QHBoxLayout;
  seedRow->addWidget(m_seed, 1);
  seedRow->addWidget(m_randomSeed);
  m_key = new QComboBox(this);
  m_key->setObjectName(QStringLiteral("key"));
  m_key->addItem(tr("any (one of the corpus's keys)"));
  for (int minor = 0; minor < 2; ++minor) {
    for (int tonic = 0; tonic < 12; ++tonic)
      m_key->addItem(QString::fromStdString(tokenize::Key{tonic, minor == 1}.name()));
  }
  m_key->setToolTip(tr("The key the music is written in; a prime keeps its own"));
  m_scale = new QComboBox(this);
  m_scale->setObjectName(QStringLiteral("scale"));
  m_scale->setEditable(true);
  m_scale->addItem(tr("no limit"));
  for (const char* k : {"C major", "G major", "D major", "A major", "F major", "Bb major", "Eb major", "A minor",
                        "E minor", "D minor", "G minor", "C minor", "D dorian", "E phrygian", "C pentatonic"}) {
    m_scale->addItem(QString::fromLatin1(k));
  }
  m_scale->setToolTip(tr("Keep every new note in this scale (a hard limit), e.g. D dorian or A blues"));
  m_program = new QComboBox(this);
  const QStringList& programs = gmProgramNames();
  for (int i = 0; i < programs.size(); ++i)
    m_program->addItem(QStringLiteral("%1 %2").arg(i + 1).arg(programs[i]));
  m_tempo = new QSpinBox(this);
  m_tempo->setObjectName(QStringLiteral("tempo"));
  m_tempo->setRange(kModelTempo, 300);
  m_tempo->setValue(kModelTempo);
  m_tempo->setSuffix(tr(" BPM"));
  m_tempo->setSpecialValueText(tr("the model's"));
  m_tempo->setToolTip(tr("The model's: one of the tempos of the music it learned, drawn by the seed as the key is"));
  m_density = new QDoubleSpinBox(this);
  m_density->setObjectName(QStringLiteral("density"));
  m_density->setRange(-5.0, 5.0);
  m_density->setSingleStep(0.25);
  m_density->setValue(defaults.density);
  m_density->setToolTip(tr("Below 0 fewer notes than the model would write, above 0 more (0: as learned)"));
  m_softest = new QSpinBox(this);
  m_softest->setObjectName(QStringLiteral("softest"));
  m_loudest = new QSpinBox(this);
  m_loudest->setObjectName(QStringLiteral("loudest"));
  for (QSpinBox* v : {m_softest, m_loudest}) {
    v->setRange(1, 127);
    v->setToolTip(tr("Dynamics: the model's velocities are scaled into this range, so its accents stay "
                     "(1 to 127: as learned)"));
  }
  m_softest->setValue(defaults.minVelocity);
  m_loudest->setValue(defaults.maxVelocity);
  // The range stays ordered: each end pushes the other.
  connect(m_softest, &QSpinBox::valueChanged, this, [this](int v) {
    if (m_loudest->value() < v) m_loudest->setValue(v);
  });
  connect(m_loudest, &QSpinBox::valueChanged, this, [this](int v) {
    if (m_softest->value() > v) m_softest->setValue(v);
  });
  m_polyphony = new QSpinBox(this);
  m_polyphony->setRange(0, 32);
  m_polyphony->setSpecialValueText(tr("no limit"));

  auto* form = new QFormLayout;
  form->addRow(tr("Temperature"), m_temperature);
  form->addRow(tr("Top-k"), m_topK);
  form->addRow(tr("Top-p"), m_topP);
  form->addRow(tr("Repetition penalty"), m_penalty);
  form->addRow(tr("Repeat ↔ vary"), m_repeat);
  form->addRow(tr("Fewer ↔ more notes"), m_density);
  form->addRow(tr("Softest velocity"), m_softest);
  form->addRow(tr("Loudest velocity"), m_loudest);
  form->addRow(tr("Length"), m_length);
  form->addRow(tr("Variations"), m_variations);
  form->addRow(tr("Seed"), seedRow);
  form->addRow(tr("Key"), m_key);
  form->addRow(tr("Scale"), m_scale);
  form->addRow(tr("Instrument"), m_program);
  form->addRow(tr("Tempo"), m_tempo);
  form->addRow(tr("Polyphony"), m_polyphony);
  addPrimeRows(form);
  return form;
}

void GeneratePanel::addPrimeRows(QFormLayout* form) {
  m_prime = new PrimeChooser(this);
  m_prime->recorder()->setTempoSource([this] {
    if (m_tempo->value() != kModelTempo) return static_cast<double>(m_tempo->value());
    return m_generator ? m_generator->typicalTempoBpm() : midiio::RecordOptions{}.tempoBpm;
  });
  form->addRow(tr("Continue"), m_prime);
}

QWidget* GeneratePanel::buildTakesPanel() {
  m_takeList = new TakeList(this);
  m_takeList->setObjectName(QStringLiteral("takes"));
  m_takeList->setToolTip(tr("Drag a take onto a DAW or the desktop to save it as a MIDI file"));
  m_takeList->setTakeSource([this](int row, midi::Score& score, QString& name) {
    if (row < 0 || row >= static_cast<int>(m_takes.size())) return false;
    score = m_takes[static_cast<std::size_t>(row)].score;
    name = QStringLiteral("lyrebird-take%1-seed%2").arg(row + 1).arg(m_takes[static_cast<std::size_t>(row)].seed);
    return true;
  });
  m_keep = new QPushButton(tr("Keep"), this);
  m_keep->setToolTip(tr("Mark the take as a keeper"));
  m_delete = new QPushButton(tr("Delete"), this);
  m_regenerate = new QPushButton(tr("Regenerate"), this);
  m_regenerate->setToolTip(tr("Generate again with the take's seed and the current settings"));
  auto* takeButtons = new QHBoxLayout;
  takeButtons->addWidget(m_keep);
  takeButtons->addWidget(m_delete);
  takeButtons->addWidget(m_regenerate);
  m_takesPanel = new QWidget(this);
  m_takesPanel->setObjectName(QStringLiteral("takesPanel"));
  auto* takesLayout = new QVBoxLayout(m_takesPanel);
  takesLayout->setContentsMargins(0, 0, 0, 0);
  takesLayout->addWidget(m_takeList, 1);
  takesLayout->addLayout(takeButtons);

  connect(m_takeList, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0 && row < static_cast<int>(m_takes.size()) && !isGenerating()) {
      Q_EMIT takeActivated(m_takes[static_cast<std::size_t>(row)].score, m_takes[static_cast<std::size_t>(row)].name);
    }
    updateButtons();
  });
  connect(m_keep, &QPushButton::clicked, this, [this] {
    QListWidgetItem* item = m_takeList->currentItem();
    if (!item) return;
    const bool kept = !item->data(kKeptRole).toBool();
    item->setData(kKeptRole, kept);
    QFont f = item->font();
    f.setBold(kept);
    item->setFont(f);
  });
  connect(m_delete, &QPushButton::clicked, this, [this] {
    const int row = m_takeList->currentRow();
    if (row < 0 || isGenerating()) return;
    m_takes.erase(m_takes.begin() + row);
    delete m_takeList->takeItem(row);
    Q_EMIT takesChanged();
  });
  connect(m_regenerate, &QPushButton::clicked, this, [this] {
    const int row = m_takeList->currentRow();
    if (row < 0) return;
    m_randomSeed->setChecked(false);
    m_seed->setValue(static_cast<int>(m_takes[static_cast<std::size_t>(row)].seed));
    generate();
  });
  return m_takesPanel;
}

QListWidget* GeneratePanel::takeList() const {
  return m_takeList;
}

GeneratePanel::~GeneratePanel() {
  if (m_worker.joinable()) {
    m_worker.request_stop();
    m_worker.join();
  }
}

void GeneratePanel::setPrimeSources(std::function<std::vector<midi::Score>()> corpusPieces,
                                    std::function<midi::Score()> pianoRollSelection) {
  m_prime->setSources(std::move(corpusPieces), std::move(pianoRollSelection));
}

void GeneratePanel::chooseModel() {
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Open Model"), m_modelPath, tr("Lyrebird models (*.lyrebird)"));
  if (!path.isEmpty()) loadModel(path);
}

bool GeneratePanel::loadModel(const QString& path) {
  if (!loadGenerator(path, QFileInfo(path).fileName())) return false;
  QSettings().setValue(QStringLiteral("generate/model"), path);
  return true;
}

void GeneratePanel::setTrainingRunning(bool running) {
  m_fromTraining->setEnabled(running);
  if (!running) m_fromTraining->setChecked(false);
  updateButtons();
}

void GeneratePanel::useTrainingSnapshot(const QString& path, const QString& error) {
  if (!error.isEmpty()) {
    m_status->setText(tr("The model being trained could not be read: %1").arg(error));
    m_remainingVariations = 0;
    return;
  }
  if (!loadGenerator(path, tr("The model being trained"))) return;
  m_snapshotLoaded = true;
  generate();
}

bool GeneratePanel::loadGenerator(const QString& path, const QString& title) {
  if (m_worker.joinable()) {
    // The worker uses the current generator: it must end before the generator goes.
    m_remainingVariations = 0;
    m_worker.request_stop();
    m_worker.join();
    m_worker = {};
  }
  Result<std::unique_ptr<generate::Generator>> loaded = generate::Generator::load(path.toStdString());
  if (!loaded) {
    m_status->setText(QString::fromStdString(loaded.error().describe()));
    updateButtons();
    return false;
  }
  m_generator = std::move(loaded.value());
  m_modelPath = path;
  if (!m_repeatChosen) {
    const QSignalBlocker quiet(m_repeat);
    m_repeat->setValue(m_generator->defaultRepeat());
  }
  m_model->setText(tr("<b>%1</b><br>%2")
                       .arg(title.toHtmlEscaped(), QString::fromStdString(m_generator->describe()).toHtmlEscaped()));
  m_status->setText(tr("Ready."));
  updateButtons();
  return true;
}

generate::GenerateOptions GeneratePanel::options() const {
  generate::GenerateOptions o;
  o.sampling.temperature = m_temperature->value();
  o.sampling.topK = m_topK->value();
  o.sampling.topP = m_topP->value();
  o.sampling.repetitionPenalty = m_penalty->value();
  // Until the user sets it, each model's own default (a training snapshot's too).
  if (m_repeatChosen) o.repeat = m_repeat->value();
  o.density = m_density->value();
  o.minVelocity = m_softest->value();
  o.maxVelocity = m_loudest->value();
  o.program = m_program->currentIndex();
  o.tempoBpm = m_tempo->value() == kModelTempo ? 0.0 : m_tempo->value();
  o.maxPolyphony = m_polyphony->value();
  if (const auto length = generate::Length::parse(m_length->text().toStdString())) o.length = *length;
  if (m_key->currentIndex() > 0) o.key = tokenize::Key::fromIndex(m_key->currentIndex() - 1);
  if (m_scale->currentIndex() != 0 || m_scale->currentText() != tr("no limit")) {
    if (const auto scale = generate::parseScale(m_scale->currentText().toStdString())) o.scale = *scale;
  }
  return o;
}

void GeneratePanel::generate() {
  if (isGenerating()) return;
  // The training's latest weights first (each Generate takes them anew); then this runs again.
  if (m_fromTraining->isChecked() && m_fromTraining->isEnabled() && !std::exchange(m_snapshotLoaded, false)) {
    m_status->setText(tr("Taking the weights of the model being trained…"));
    Q_EMIT trainingModelWanted();
    return;
  }
  if (!m_generator) return;
  const auto length = generate::Length::parse(m_length->text().toStdString());
  if (!length) {
    m_status->setText(QString::fromStdString(length.error().message));
    return;
  }
  if (m_scale->currentText() != tr("no limit") && !generate::parseScale(m_scale->currentText().toStdString())) {
    m_status->setText(
        QString::fromStdString(generate::parseScale(m_scale->currentText().toStdString()).error().message));
    return;
  }
  if (m_remainingVariations <= 0) {
    m_remainingVariations = m_variations->value();
    if (m_randomSeed->isChecked()) m_seed->setValue(static_cast<int>(QRandomGenerator::global()->bounded(1 << 30)));
    m_nextSeed = static_cast<quint64>(m_seed->value());
  }
  generate::GenerateOptions o = options();
  o.seed = m_nextSeed;
  Result<std::optional<midi::Score>> prime = m_prime->prime(o.seed);
  if (!prime) {
    m_status->setText(QString::fromStdString(prime.error().describe()));
    m_remainingVariations = 0;
    return;
  }
  o.prime = std::move(prime.value());

  Q_EMIT generationStarted(m_generator->header(o), o.program);
  m_status->setText(tr("Generating (seed %1)…").arg(o.seed));
  m_finished = false;
  if (m_worker.joinable()) m_worker.join();
  QPointer<GeneratePanel> self(this);
  m_worker = std::jthread([self, o, generator = m_generator.get()](std::stop_token stop) {
    generate::GenerateListener listener;
    listener.onNote = [self](const tokenize::NoteEvent& e) {
      postToGui(self, [e](GeneratePanel& panel) {
        if (!panel.m_finished) Q_EMIT panel.noteEvent(e);
      });
    };
    Result<midi::Score> piece = generator->generate(o, listener, stop);
    auto score = piece ? std::make_shared<midi::Score>(std::move(piece.value())) : nullptr;
    const QString error = piece ? QString() : QString::fromStdString(piece.error().message);
    postToGui(self, [score, seed = o.seed, error](GeneratePanel& panel) { panel.onFinished(score, seed, error); });
  });
  updateButtons();
}

void GeneratePanel::regenerateRegion(const midi::Score& piece, int firstBar, int lastBar, bool extend) {
  if (!m_generator || isGenerating()) {
    Q_EMIT regionReady(nullptr, m_generator ? tr("A generation is running; try again when it has ended.")
                                            : tr("Open a model first (File > Open Model)."));
    return;
  }
  generate::InfillOptions o;
  o.generate = options();
  if (m_randomSeed->isChecked()) m_seed->setValue(static_cast<int>(QRandomGenerator::global()->bounded(1 << 30)));
  o.generate.seed = static_cast<std::uint64_t>(m_seed->value());
  o.firstBar = firstBar;
  o.lastBar = lastBar;
  o.candidates = kRegionCandidates;
  o.includeOriginal = !extend;
  o.allowExtension = extend;
  m_status->setText(tr("Writing bars %1–%2 again (%3 candidates)…").arg(firstBar).arg(lastBar).arg(o.candidates));
  m_finished = false;
  if (m_worker.joinable()) m_worker.join();
  QPointer<GeneratePanel> self(this);
  m_worker = std::jthread([self, piece, o, generator = m_generator.get()](std::stop_token stop) {
    Result<generate::InfillResult> result = generator->infill(piece, o, {}, stop);
    auto shared = result ? std::make_shared<const generate::InfillResult>(std::move(result.value())) : nullptr;
    const QString error = result ? QString() : QString::fromStdString(result.error().message);
    postToGui(self, [shared, error](GeneratePanel& panel) {
      panel.m_finished = true;
      if (panel.m_worker.joinable()) panel.m_worker.join();
      panel.m_worker = {};
      panel.m_status->setText(error.isEmpty() ? tr("Ready.") : error);
      panel.updateButtons();
      Q_EMIT panel.regionReady(shared, error);
    });
  });
  updateButtons();
}

void GeneratePanel::stopGenerating() {
  m_remainingVariations = 0;
  if (m_worker.joinable()) m_worker.request_stop();
}

void GeneratePanel::onFinished(std::shared_ptr<midi::Score> score, quint64 seed, const QString& error) {
  m_finished = true;
  if (m_worker.joinable()) m_worker.join();
  m_worker = {};
  if (!score) {
    m_status->setText(error);
    m_remainingVariations = 0;
    updateButtons();
    Q_EMIT generationFinished(-1, error);
    return;
  }
  Take take;
  take.seed = seed;
  take.temperature = m_temperature->value();
  take.model = m_modelPath;
  take.name = tr("Take %1 · seed %2 · T %3").arg(m_takes.size() + 1).arg(seed).arg(take.temperature, 0, 'f', 2);
  take.score = std::move(*score);
  m_takes.push_back(take);
  {
    const QSignalBlocker block(m_takeList);
    m_takeList->addItem(take.name + tr(" · %n note(s)", nullptr, static_cast<int>(take.score.noteCount())));
    m_takeList->setCurrentRow(m_takeList->count() - 1);
  }
  m_status->setText(tr("Generated %n note(s).", nullptr, static_cast<int>(take.score.noteCount())));
  updateButtons();
  Q_EMIT generationFinished(static_cast<int>(m_takes.size()) - 1, {});
  Q_EMIT takesChanged();
  // Further variations follow with the next seeds.
  if (--m_remainingVariations > 0) {
    ++m_nextSeed;
    generate();
  }
}

void GeneratePanel::updateButtons() {
  const bool busy = isGenerating();
  const bool canGenerate = m_generator || (m_fromTraining->isChecked() && m_fromTraining->isEnabled());
  m_generate->setEnabled(canGenerate && !busy);
  m_stop->setEnabled(busy);
  const bool takeSelected = m_takeList->currentRow() >= 0;
  m_keep->setEnabled(takeSelected);
  m_delete->setEnabled(takeSelected && !busy);
  m_regenerate->setEnabled(takeSelected && m_generator && !busy);
  Q_EMIT stateChanged(canGenerate, busy);
}

} // namespace lyrebird::ui
