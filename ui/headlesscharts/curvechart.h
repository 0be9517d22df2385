#pragma once

#include "base/result.h"

#include <QColor>
#include <QPointF>
#include <QSize>
#include <QString>

#include <vector>

class QPainter;
class QRectF;

namespace lyrebird::ui {

/// One line of a chart: points in data units, in x order.
struct CurveSeries {
  QString name;
  QColor color;
  bool dashed = false;
  std::vector<QPointF> points;
};

/// A line chart as a report shows it: title, labelled axes with round ticks, a legend.
struct CurveChartSpec {
  QString title;
  QString xLabel;
  QString yLabel;
  std::vector<CurveSeries> series;
};

/// Paints `chart` into `area` with QPainter (any paint device: an image, an SVG, a widget).
void paintCurveChart(QPainter& painter, const QRectF& area, const CurveChartSpec& chart);

/// Writes the chart as PNG and as SVG (either path may be empty). Needs a QGuiApplication
/// (the offscreen platform will do). Unwritable paths give an Error naming the file.
Status saveCurveChart(const CurveChartSpec& chart, const QString& pngPath, const QString& svgPath,
                      QSize size = QSize(900, 540));

/// A distinct colour for the i-th series.
QColor seriesColor(int index);

} // namespace lyrebird::ui
