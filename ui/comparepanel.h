#pragma once

#include "take.h"

#include "corpus/corpus.h"
#include "evaluate/musicmetrics.h"

#include <QWidget>

#include <memory>
#include <thread>
#include <vector>

class QLabel;
class QListWidget;
class QTableWidget;

namespace lyrebird::ui {

class MetricsChart;

/// The Compare view: the training curves of several saved runs overlaid, and a table of
/// musical measures of the takes (against the held-out files of the loaded corpus, and
/// copies of its training files), so a user sees which model and which temperature to
/// trust. Measuring runs on a worker thread; the table fills when it is done. GUI thread.
class ComparePanel : public QWidget {
  Q_OBJECT

public:
  explicit ComparePanel(QWidget* parent = nullptr);
  ~ComparePanel() override;

  /// Overlays a saved model's curves; false (and why, in the status line) when it cannot be read.
  bool addRun(const QString& modelPath);
  int runCount() const;
  /// Measures `takes` against `corpus` split as a model trained with `validFraction` and
  /// `seed` split it. A newer call supersedes one still running.
  void measureTakes(std::vector<Take> takes, std::shared_ptr<const corpus::Corpus> corpus, double validFraction,
                    std::uint64_t seed);
  QTableWidget* table() const { return m_table; }
  /// The takes of each model and temperature as a set, closest first, and real music last.
  QTableWidget* sets() const { return m_sets; }
  QString status() const;

Q_SIGNALS:
  /// The table shows the latest measurements.
  void measured();

private:
  struct Measured;
  void chooseRuns();
  void show(std::shared_ptr<Measured> result, int generation);

  QListWidget* m_runs = nullptr;
  MetricsChart* m_chart = nullptr;
  QTableWidget* m_table = nullptr;
  QTableWidget* m_sets = nullptr;
  QLabel* m_status = nullptr;
  std::jthread m_worker;
  int m_generation = 0;
};

} // namespace lyrebird::ui
