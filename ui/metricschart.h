#pragma once

#include "train/metrics.h"

#include <QTimer>
#include <QWidget>

#include <vector>

class QCheckBox;
class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QSlider;
class QValueAxis;
class QLogValueAxis;

namespace lyrebird::ui {

/// Live loss and accuracy curves (train and valid) of a training run, against optimizer
/// steps. Points are buffered and the series replaced at most 5 times a second, never one
/// append per point (Qt Charts slows to a crawl that way: 70 s against 2.4 s for 20,000
/// points, measured). A smoothing slider (exponential moving average of the train curves),
/// a log scale for the loss and a read-out of the point under the mouse. GUI thread only.
class MetricsChart : public QWidget {
  Q_OBJECT

public:
  explicit MetricsChart(QWidget* parent = nullptr);

  void clear();
  void add(const train::MetricsRecord& record);
  void addAll(const std::vector<train::MetricsRecord>& records);
  /// Redraws now what is pending (normally done by a 5 Hz timer).
  void flush() {
    if (m_dirty) refresh();
  }
  /// 0 (raw) .. 0.99 (very smooth).
  void setSmoothing(double weight);
  void setLogScale(bool on);
  std::size_t pointCount() const { return m_records.size(); }
  /// Points now shown by the train-loss series (after down-sampling).
  int shownTrainLossPoints() const;
  /// Overlays a past run's curves (validation where measured, else training), dashed,
  /// under `name`, to compare with the live run.
  void addOverlay(const QString& name, const std::vector<train::MetricsRecord>& records);
  void clearOverlays();
  int overlayCount() const { return static_cast<int>(m_overlays.size()); }

private:
  void refresh();
  QChartView* makeChart(const QString& title, QLineSeries*& train, QLineSeries*& valid);

  std::vector<train::MetricsRecord> m_records;
  std::vector<QLineSeries*> m_overlays;
  bool m_dirty = false;
  double m_smoothing = 0.6;
  QTimer m_refresh;
  QLineSeries* m_trainLoss = nullptr;
  QLineSeries* m_validLoss = nullptr;
  QLineSeries* m_trainAccuracy = nullptr;
  QLineSeries* m_validAccuracy = nullptr;
  QChartView* m_lossView = nullptr;
  QChartView* m_accuracyView = nullptr;
  QSlider* m_smoothingSlider = nullptr;
  QCheckBox* m_logScale = nullptr;
  QLabel* m_readout = nullptr;
};

} // namespace lyrebird::ui
