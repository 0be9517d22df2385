#include "comparepanel.h"

#include "guithread.h"
#include "metricschart.h"

#include "corpus/copyindex.h"
#include "evaluate/modelevaluation.h"
#include "train/checkpoint.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <utility>

namespace lyrebird::ui {

struct ComparePanel::Measured {
  std::vector<Take> takes;
  evaluate::TakeComparison comparison;
  QString problem; // why nothing could be measured
};

namespace {

/// The longest copy of a training file a take may hold, in notes.
constexpr int kCopyLimit = corpus::CopyIndex::kDefaultNotes - 1;

enum Column {
  TakeName,
  Model,
  Temperature,
  Notes,
  PitchClass,
  Ioi,
  Density,
  Polyphony,
  Scale,
  Distinct,
  Copy,
  Columns
};

enum SetColumn { SetModel, SetTemperature, SetTakes, SetPitch, SetRhythm, SetOverlap, SetColumns };

QTableWidgetItem* numberItem(double value, int decimals) {
  auto* item = new QTableWidgetItem;
  item->setData(Qt::DisplayRole, std::isfinite(value) ? QVariant(QString::number(value, 'f', decimals)) : QVariant());
  item->setData(Qt::UserRole, value);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

/// A table of measurements: read-only, whole rows selected, columns sized to their contents
/// but `stretch`, which takes the rest; each header explains itself in `tips`.
void readOnlyTable(QTableWidget* table, const QStringList& tips, int stretch) {
  for (int c = 0; c < table->columnCount() && c < tips.size(); ++c)
    table->horizontalHeaderItem(c)->setToolTip(tips[c]);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->verticalHeader()->setVisible(false);
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table->horizontalHeader()->setSectionResizeMode(stretch, QHeaderView::Stretch);
}

} // namespace

ComparePanel::ComparePanel(QWidget* parent) : QWidget(parent) {
  m_runs = new QListWidget(this);
  m_runs->setObjectName(QStringLiteral("compareRuns"));
  m_runs->setToolTip(tr("Saved models whose training curves are overlaid on the charts"));
  auto* add = new QPushButton(tr("Add Runs…"), this);
  connect(add, &QPushButton::clicked, this, &ComparePanel::chooseRuns);
  auto* clear = new QPushButton(tr("Clear"), this);
  m_chart = new MetricsChart(this);
  connect(clear, &QPushButton::clicked, this, [this] {
    m_runs->clear();
    m_chart->clearOverlays();
  });
  auto* runButtons = new QHBoxLayout;
  runButtons->addWidget(add);
  runButtons->addWidget(clear);
  auto* runsColumn = new QWidget(this);
  auto* runsLayout = new QVBoxLayout(runsColumn);
  runsLayout->setContentsMargins(0, 0, 0, 0);
  runsLayout->addWidget(new QLabel(tr("Runs"), this));
  runsLayout->addWidget(m_runs, 1);
  runsLayout->addLayout(runButtons);

  m_table = new QTableWidget(0, Columns, this);
  m_table->setObjectName(QStringLiteral("compareTakes"));
  m_table->setHorizontalHeaderLabels({tr("Take"), tr("Model"), tr("T"), tr("Notes"), tr("Pitch dist."),
                                      tr("Rhythm dist."), tr("Notes/s"), tr("Polyphony"), tr("In scale"),
                                      tr("Distinct 4-grams"), tr("Copy")});
  const QStringList tips = {
      tr("The take"),
      tr("The model that wrote it"),
      tr("Sampling temperature"),
      tr("Notes in the take"),
      tr("Distance of the take's pitch-class histogram to the held-out music's (0 = the same, 1 = disjoint)"),
      tr("Distance of the take's inter-onset-interval histogram to the held-out music's (0 = the same rhythms)"),
      tr("Notes per second"),
      tr("Mean number of notes sounding together"),
      tr("Largest share of notes inside one major or minor scale"),
      tr("Share of distinct 4-grams of onsets (low = repetitive)"),
      tr("The longest run of notes found verbatim in one training file")};
  readOnlyTable(m_table, tips, TakeName);
  m_table->setSortingEnabled(true);
  m_status = new QLabel(tr("Generate takes and load the corpus the model learned to measure them here."), this);
  m_status->setObjectName(QStringLiteral("compareStatus"));
  m_status->setWordWrap(true);
  // The takes of each model and temperature as a set: what to trust is a setting that keeps
  // writing music like the corpus's, take after take.
  m_sets = new QTableWidget(0, SetColumns, this);
  m_sets->setObjectName(QStringLiteral("compareSets"));
  m_sets->setHorizontalHeaderLabels({tr("Model (takes as a set)"), tr("T"), tr("Takes"), tr("Pitch set dist."),
                                     tr("Rhythm set dist."), tr("Y&L overlap")});
  const QStringList setTips = {
      tr("The takes of one model at one temperature, compared as a set with the held-out pieces' openings"),
      tr("Sampling temperature"),
      tr("Takes in the set"),
      tr("Energy distance of the takes' pitch-class histograms to the held-out openings' (0 = they vary as the "
         "corpus does; a set whose every take mixes all the corpus's keys reads far)"),
      tr("The same for the inter-onset-interval histograms"),
      tr("Yang & Lerch (2020): per feature (pitch count, pitch classes and their transitions, range, interval, "
         "notes, inter-onset interval, note lengths and their transitions), how much the takes' distances to the "
         "held-out openings overlap the openings' own; the mean over the nine (1 = alike)")};
  readOnlyTable(m_sets, setTips, SetModel);
  auto* tables = new QSplitter(Qt::Vertical, this);
  tables->addWidget(m_table);
  tables->addWidget(m_sets);
  tables->setStretchFactor(0, 3);
  tables->setStretchFactor(1, 2);
  tables->setChildrenCollapsible(false);
  tables->setSizes({150, 100}); // a few takes above, a few models below, in a 250-px dock
  auto* takesColumn = new QWidget(this);
  auto* takesLayout = new QVBoxLayout(takesColumn);
  takesLayout->setContentsMargins(0, 0, 0, 0);
  takesLayout->addWidget(tables, 1);
  takesLayout->addWidget(m_status);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(runsColumn);
  split->addWidget(m_chart);
  split->addWidget(takesColumn);
  split->setStretchFactor(1, 1);
  split->setStretchFactor(2, 2);
  split->setSizes({170, 380, 700});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);
}

ComparePanel::~ComparePanel() {
  if (m_worker.joinable()) {
    m_worker.request_stop();
    m_worker.join();
  }
}

int ComparePanel::runCount() const {
  return m_runs->count();
}

QString ComparePanel::status() const {
  return m_status->text();
}

void ComparePanel::chooseRuns() {
  const QStringList paths =
      QFileDialog::getOpenFileNames(this, tr("Add Runs to Compare"), QString(), tr("Lyrebird models (*.lyrebird)"));
  for (const QString& path : paths)
    addRun(path);
}

bool ComparePanel::addRun(const QString& modelPath) {
  const Result<train::Checkpoint> checkpoint = train::readCheckpoint(modelPath.toStdString());
  if (!checkpoint) {
    m_status->setText(QString::fromStdString(checkpoint.error().describe()));
    return false;
  }
  const QString name = QFileInfo(modelPath).completeBaseName();
  m_chart->addOverlay(name, checkpoint->history);
  m_runs->addItem(tr("%1 · %2 · %3 steps · best valid loss %4")
                      .arg(name, QString::fromStdString(checkpoint->config.preset))
                      .arg(checkpoint->progress.step)
                      .arg(checkpoint->progress.bestValidLoss, 0, 'f', 3));
  m_runs->item(m_runs->count() - 1)->setToolTip(modelPath);
  return true;
}

void ComparePanel::measureTakes(std::vector<Take> takes, std::shared_ptr<const corpus::Corpus> corpus,
                                double validFraction, std::uint64_t seed) {
  const int generation = ++m_generation;
  if (m_worker.joinable()) {
    m_worker.request_stop();
    m_worker.join();
  }
  if (takes.empty()) {
    m_table->setRowCount(0);
    m_sets->setRowCount(0);
    m_status->setText(tr("No takes yet: generate some to measure them here."));
    Q_EMIT measured();
    return;
  }
  if (!corpus) {
    m_status->setText(tr("Load the corpus the model learned to measure the takes against its held-out files."));
    Q_EMIT measured();
    return;
  }
  m_status->setText(tr("Measuring %n take(s)…", nullptr, static_cast<int>(takes.size())));
  QPointer<ComparePanel> self(this);
  m_worker =
      std::jthread([self, generation, takes = std::move(takes), corpus, validFraction, seed](std::stop_token stop) {
        auto result = std::make_shared<Measured>();
        result->takes = takes;
        std::vector<evaluate::LabelledTake> labelled;
        for (const Take& take : result->takes)
          labelled.push_back({&take.score, take.model.toStdString(), take.temperature});
        std::optional<evaluate::TakeComparison> comparison =
            evaluate::compareTakes(labelled, *corpus, validFraction, seed, stop);
        if (!comparison) return; // stopped
        result->comparison = std::move(*comparison);
        if (result->comparison.music.reference.pieces == 0) {
          result->problem =
              QObject::tr("The corpus has no held-out file to compare with (it needs two MIDI files or more).");
        }
        postToGui(self, [result, generation](ComparePanel& panel) { panel.show(result, generation); });
      });
}

void ComparePanel::show(std::shared_ptr<Measured> result, int generation) {
  if (generation != m_generation) return; // superseded
  if (m_worker.joinable()) m_worker.join();
  m_worker = {};
  if (!result->problem.isEmpty()) {
    m_table->setRowCount(0);
    m_sets->setRowCount(0);
    m_status->setText(result->problem);
    Q_EMIT measured();
    return;
  }
  const evaluate::TakeComparison& done = result->comparison;
  m_table->setSortingEnabled(false);
  m_table->setRowCount(static_cast<int>(done.evaluations.size()) + 1);
  double bestPitch = INFINITY, bestRhythm = INFINITY;
  for (const evaluate::TakeEvaluation& e : done.evaluations) {
    bestPitch = std::min(bestPitch, e.pcHistDistance);
    bestRhythm = std::min(bestRhythm, e.ioiHistDistance);
  }
  auto fill = [this](int row, const QString& name, const QString& model, double temperature,
                     const evaluate::MusicMetrics& m, double pitch, double rhythm, double copy) {
    // "Take 3 · seed … · T …": the table shows the take's number, the tooltip all of it.
    auto* nameItem = new QTableWidgetItem(name.section(QStringLiteral(" · "), 0, 0));
    nameItem->setToolTip(name);
    m_table->setItem(row, TakeName, nameItem);
    m_table->setItem(row, Model, new QTableWidgetItem(model));
    m_table->setItem(row, Temperature, numberItem(temperature, 2));
    m_table->setItem(row, Notes, numberItem(static_cast<double>(m.notes), 0));
    m_table->setItem(row, PitchClass, numberItem(pitch, 3));
    m_table->setItem(row, Ioi, numberItem(rhythm, 3));
    m_table->setItem(row, Density, numberItem(m.noteDensity, 2));
    m_table->setItem(row, Polyphony, numberItem(m.polyphony, 2));
    m_table->setItem(row, Scale, numberItem(m.scaleConsistency, 3));
    m_table->setItem(row, Distinct, numberItem(m.distinct4gramRatio, 3));
    m_table->setItem(row, Copy, numberItem(copy, 0));
  };
  for (std::size_t i = 0; i < done.evaluations.size(); ++i) {
    const evaluate::TakeEvaluation& e = done.evaluations[i];
    const Take& take = result->takes[i];
    const int row = static_cast<int>(i);
    fill(row, take.name, QFileInfo(take.model).completeBaseName(), take.temperature, e.metrics, e.pcHistDistance,
         e.ioiHistDistance, e.originality.longestCopyNotes);
    // The closest take on each distance stands out.
    for (const auto& [column, best, value] : {std::tuple{int(PitchClass), bestPitch, e.pcHistDistance},
                                              std::tuple{int(Ioi), bestRhythm, e.ioiHistDistance}}) {
      if (value == best) {
        QFont bold = m_table->item(row, column)->font();
        bold.setBold(true);
        m_table->item(row, column)->setFont(bold);
      }
    }
    if (e.originality.longestCopyNotes > kCopyLimit) {
      m_table->item(row, Copy)->setForeground(QColor(190, 30, 30));
      m_table->item(row, Copy)->setToolTip(tr("More than %1 notes copied from one training file").arg(kCopyLimit));
    }
  }
  // The held-out music itself, as the yardstick.
  const int last = static_cast<int>(done.evaluations.size());
  fill(last, tr("Held-out music (%n file(s))", nullptr, static_cast<int>(done.music.heldOutFiles())), QString(), NAN,
       done.music.reference.mean, done.music.heldOutPcHistDistance, done.music.heldOutIoiHistDistance, NAN);
  m_table->item(last, TakeName)
      ->setToolTip(tr("The held-out pieces' first %1 s measured as takes: what real music of this corpus scores")
                       .arg(done.music.openingSeconds, 0, 'f', 0));
  for (int c = 0; c < Columns; ++c) {
    if (QTableWidgetItem* item = m_table->item(last, c)) item->setBackground(palette().alternateBase());
  }
  m_table->setSortingEnabled(true);

  // The sets, closest first, then real music as the yardstick.
  std::vector<evaluate::TakeGroup> groups = done.groups;
  std::sort(groups.begin(), groups.end(), [](const evaluate::TakeGroup& a, const evaluate::TakeGroup& b) {
    return a.distances.pitchClass + a.distances.ioi < b.distances.pitchClass + b.distances.ioi;
  });
  m_sets->setRowCount(static_cast<int>(groups.size()) + 1);
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto row = static_cast<int>(i);
    auto* model = new QTableWidgetItem(QFileInfo(QString::fromStdString(groups[i].model)).completeBaseName());
    model->setToolTip(QString::fromStdString(groups[i].model));
    m_sets->setItem(row, SetModel, model);
    m_sets->setItem(row, SetTemperature, numberItem(groups[i].temperature, 2));
    m_sets->setItem(row, SetTakes, numberItem(groups[i].takes, 0));
    m_sets->setItem(row, SetPitch, numberItem(groups[i].distances.pitchClass, 3));
    m_sets->setItem(row, SetRhythm, numberItem(groups[i].distances.ioi, 3));
    m_sets->setItem(row, SetOverlap, numberItem(groups[i].overlap, 3));
  }
  const auto realRow = static_cast<int>(groups.size());
  auto* real = new QTableWidgetItem(tr("Real music (%n training file(s))", nullptr, done.realPieces));
  real->setToolTip(tr("The openings of as many training files as the largest set has takes: what a set of real "
                      "music of this corpus scores (small sets read higher)"));
  m_sets->setItem(realRow, SetModel, real);
  m_sets->setItem(realRow, SetTakes, numberItem(done.realPieces, 0));
  m_sets->setItem(realRow, SetPitch, numberItem(done.real.pitchClass, 3));
  m_sets->setItem(realRow, SetRhythm, numberItem(done.real.ioi, 3));
  m_sets->setItem(realRow, SetOverlap, numberItem(done.realOverlap, 3));
  for (int c = 0; c < SetColumns; ++c) {
    if (QTableWidgetItem* item = m_sets->item(realRow, c)) item->setBackground(palette().alternateBase());
  }
  m_status->setText(tr("%n take(s) measured against %1 held-out file(s); lower distances are closer to them.", nullptr,
                       static_cast<int>(done.evaluations.size()))
                        .arg(done.music.heldOutFiles()));
  Q_EMIT measured();
}

} // namespace lyrebird::ui
