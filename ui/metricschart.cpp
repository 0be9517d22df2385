#include "metricschart.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QSlider>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace lyrebird::ui {

namespace {
constexpr int kMaxShownPoints = 2000; // per series: more would not show on screen anyway
}

MetricsChart::MetricsChart(QWidget* parent) : QWidget(parent) {
  m_lossView = makeChart(tr("Loss (nats per token)"), m_trainLoss, m_validLoss);
  m_accuracyView = makeChart(tr("Accuracy"), m_trainAccuracy, m_validAccuracy);
  m_smoothingSlider = new QSlider(Qt::Horizontal, this);
  m_smoothingSlider->setRange(0, 99);
  m_smoothingSlider->setValue(static_cast<int>(m_smoothing * 100));
  m_smoothingSlider->setToolTip(tr("Smoothing of the training curves"));
  m_logScale = new QCheckBox(tr("Log scale"), this);
  m_readout = new QLabel(this);
  m_readout->setObjectName(QStringLiteral("chartReadout"));
  m_readout->setMinimumWidth(200);

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Smoothing"), this));
  controls->addWidget(m_smoothingSlider, 1);
  controls->addWidget(m_logScale);
  controls->addWidget(m_readout, 1);
  auto* charts = new QHBoxLayout;
  charts->addWidget(m_lossView, 1);
  charts->addWidget(m_accuracyView, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(charts, 1);
  layout->addLayout(controls);

  connect(m_smoothingSlider, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 100.0); });
  connect(m_logScale, &QCheckBox::toggled, this, &MetricsChart::setLogScale);
  m_refresh.setInterval(200);
  connect(&m_refresh, &QTimer::timeout, this, [this] {
    if (m_dirty) refresh();
  });
  m_refresh.start();
}

QChartView* MetricsChart::makeChart(const QString& title, QLineSeries*& train, QLineSeries*& valid) {
  auto* chart = new QChart;
  chart->setTitle(title);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  train = new QLineSeries(chart);
  train->setName(tr("train"));
  valid = new QLineSeries(chart);
  valid->setName(tr("valid"));
  valid->setPointsVisible(true);
  chart->addSeries(train);
  chart->addSeries(valid);
  auto* x = new QValueAxis(chart);
  x->setTitleText(tr("step"));
  x->setLabelFormat(QStringLiteral("%d"));
  x->setRange(0, 100);
  auto* y = new QValueAxis(chart);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (QLineSeries* s : {train, valid}) {
    s->attachAxis(x);
    s->attachAxis(y);
    connect(s, &QLineSeries::hovered, this, [this, s, title](const QPointF& point, bool state) {
      if (state) {
        m_readout->setText(QStringLiteral("%1 %2 · step %3: %4")
                               .arg(title.section(u' ', 0, 0), s->name())
                               .arg(static_cast<qint64>(point.x()))
                               .arg(point.y(), 0, 'f', 4));
      }
    });
  }
  auto* view = new QChartView(chart, this);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumHeight(200); // below this Qt Charts elides the tick labels
  return view;
}

void MetricsChart::clear() {
  m_records.clear();
  m_dirty = true;
  refresh();
}

void MetricsChart::add(const train::MetricsRecord& record) {
  m_records.push_back(record);
  m_dirty = true;
}

void MetricsChart::addAll(const std::vector<train::MetricsRecord>& records) {
  m_records.insert(m_records.end(), records.begin(), records.end());
  m_dirty = true;
}

void MetricsChart::setSmoothing(double weight) {
  m_smoothing = std::clamp(weight, 0.0, 0.99);
  m_dirty = true;
}

void MetricsChart::setLogScale(bool on) {
  QChart* chart = m_lossView->chart();
  QAbstractAxis* old = chart->axes(Qt::Vertical).value(0);
  QAbstractAxis* axis = nullptr;
  if (on) {
    auto* log = new QLogValueAxis(chart);
    log->setBase(10.0);
    log->setLabelFormat(QStringLiteral("%.3g"));
    axis = log;
  } else {
    axis = new QValueAxis(chart);
  }
  for (QLineSeries* s : {m_trainLoss, m_validLoss})
    s->detachAxis(old);
  chart->removeAxis(old);
  delete old;
  chart->addAxis(axis, Qt::AlignLeft);
  for (QLineSeries* s : {m_trainLoss, m_validLoss})
    s->attachAxis(axis);
  m_dirty = true;
  refresh();
}

void MetricsChart::addOverlay(const QString& name, const std::vector<train::MetricsRecord>& records) {
  QList<QPointF> loss, accuracy;
  bool anyValid = false;
  for (const train::MetricsRecord& r : records)
    anyValid = anyValid || !std::isnan(r.validLoss);
  for (const train::MetricsRecord& r : records) {
    const double l = anyValid ? r.validLoss : r.trainLoss;
    const double a = anyValid ? r.validAccuracy : r.trainAccuracy;
    if (std::isnan(l)) continue;
    loss.append({static_cast<double>(r.step), l});
    accuracy.append({static_cast<double>(r.step), a});
  }
  const QColor colour = QColor::fromHsv((static_cast<int>(m_overlays.size()) * 67 + 200) % 360, 160, 170);
  const QString label = name + (anyValid ? tr(" (valid)") : tr(" (train)"));
  for (auto [view, points] : {std::pair{m_lossView, loss}, std::pair{m_accuracyView, accuracy}}) {
    QChart* chart = view->chart();
    auto* series = new QLineSeries(chart);
    series->setName(label);
    series->setPen(QPen(colour, 1.5, Qt::DashLine));
    series->replace(points);
    chart->addSeries(series);
    for (QAbstractAxis* axis : chart->axes())
      series->attachAxis(axis);
    m_overlays.push_back(series);
  }
  for (const QPointF& p : loss) {
    if (auto* x = qobject_cast<QValueAxis*>(m_lossView->chart()->axes(Qt::Horizontal).value(0));
        x && p.x() > x->max()) {
      x->setMax(p.x());
      if (auto* x2 = qobject_cast<QValueAxis*>(m_accuracyView->chart()->axes(Qt::Horizontal).value(0)))
        x2->setMax(p.x());
    }
  }
  m_dirty = true;
}

void MetricsChart::clearOverlays() {
  for (QLineSeries* s : m_overlays) {
    s->chart()->removeSeries(s);
    delete s;
  }
  m_overlays.clear();
}

int MetricsChart::shownTrainLossPoints() const {
  return static_cast<int>(m_trainLoss->count());
}

void MetricsChart::refresh() {
  m_dirty = false;
  QList<QPointF> trainLoss, validLoss, trainAccuracy, validAccuracy;
  // Batches points, smoothed and down-sampled to what the chart can show; epoch points raw.
  const std::size_t n = m_records.size();
  const std::size_t stride = std::max<std::size_t>(1, n / kMaxShownPoints);
  double smoothLoss = NAN, smoothAccuracy = NAN;
  double lo = INFINITY, hi = -INFINITY, maxStep = 100;
  for (std::size_t i = 0; i < n; ++i) {
    const train::MetricsRecord& r = m_records[i];
    const auto step = static_cast<double>(r.step);
    maxStep = std::max(maxStep, step);
    // The train curve: the batches' points, from a fine-tuning run's start (epoch 0) on.
    if (!std::isnan(r.trainLoss) && (r.kind == train::MetricsRecord::Kind::Batches || r.epoch == 0)) {
      smoothLoss = std::isnan(smoothLoss) ? r.trainLoss : m_smoothing * smoothLoss + (1 - m_smoothing) * r.trainLoss;
      smoothAccuracy = std::isnan(smoothAccuracy) ? r.trainAccuracy
                                                  : m_smoothing * smoothAccuracy + (1 - m_smoothing) * r.trainAccuracy;
      if (i % stride == 0 || i + 1 == n) {
        trainLoss.append({step, smoothLoss});
        trainAccuracy.append({step, smoothAccuracy});
        lo = std::min(lo, smoothLoss);
        hi = std::max(hi, smoothLoss);
      }
    }
    if (!std::isnan(r.validLoss)) {
      validLoss.append({step, r.validLoss});
      validAccuracy.append({step, r.validAccuracy});
      lo = std::min(lo, r.validLoss);
      hi = std::max(hi, r.validLoss);
    }
  }
  m_trainLoss->replace(trainLoss);
  m_validLoss->replace(validLoss);
  m_trainAccuracy->replace(trainAccuracy);
  m_validAccuracy->replace(validAccuracy);
  for (QChartView* view : {m_lossView, m_accuracyView}) {
    if (auto* x = qobject_cast<QValueAxis*>(view->chart()->axes(Qt::Horizontal).value(0))) x->setRange(0, maxStep);
  }
  if (std::isfinite(lo)) {
    QAbstractAxis* y = m_lossView->chart()->axes(Qt::Vertical).value(0);
    if (auto* linear = qobject_cast<QValueAxis*>(y)) linear->setRange(std::max(0.0, lo * 0.95), hi * 1.05);
    if (auto* log = qobject_cast<QLogValueAxis*>(y)) log->setRange(std::max(1e-3, lo * 0.9), hi * 1.1);
  }
  if (auto* y = qobject_cast<QValueAxis*>(m_accuracyView->chart()->axes(Qt::Vertical).value(0))) y->setRange(0.0, 1.0);
}

} // namespace lyrebird::ui
