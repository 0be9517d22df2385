#include "curvechart.h"

#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lyrebird::ui {

namespace {

/// Round tick positions covering [low, high]: steps of 1, 2 or 5 times a power of ten.
std::vector<double> niceTicks(double& low, double& high, int wanted = 6) {
  if (!(high > low)) {
    high = low + 1.0;
  }
  const double raw = (high - low) / std::max(1, wanted - 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  low = std::floor(low / step) * step;
  high = std::ceil(high / step) * step;
  std::vector<double> ticks;
  for (double t = low; t <= high + step * 1e-9; t += step)
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

QString tickLabel(double value, double step) {
  const int decimals = step >= 1.0 ? 0 : std::min(4, static_cast<int>(std::ceil(-std::log10(step))));
  return QString::number(value, 'f', decimals);
}

} // namespace

QColor seriesColor(int index) {
  static const QColor colors[] = {QColor(31, 119, 180), QColor(214, 39, 40),   QColor(44, 160, 44),
                                  QColor(255, 127, 14), QColor(148, 103, 189), QColor(140, 86, 75)};
  return colors[static_cast<std::size_t>(index) % std::size(colors)];
}

void paintCurveChart(QPainter& p, const QRectF& area, const CurveChartSpec& chart) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(area, Qt::white);
  QFont font = p.font();
  font.setPixelSize(13);
  p.setFont(font);
  const QFontMetricsF metrics(font);

  double xLow = std::numeric_limits<double>::infinity(), xHigh = -xLow, yLow = xLow, yHigh = -xLow;
  for (const CurveSeries& s : chart.series) {
    for (const QPointF& point : s.points) {
      if (!std::isfinite(point.x()) || !std::isfinite(point.y())) continue;
      xLow = std::min(xLow, point.x());
      xHigh = std::max(xHigh, point.x());
      yLow = std::min(yLow, point.y());
      yHigh = std::max(yHigh, point.y());
    }
  }
  if (!std::isfinite(xLow)) xLow = 0, xHigh = 1, yLow = 0, yHigh = 1;
  xLow = std::min(xLow, 0.0);
  const std::vector<double> xTicks = niceTicks(xLow, xHigh);
  const std::vector<double> yTicks = niceTicks(yLow, yHigh);
  const double xStep = xTicks.size() > 1 ? xTicks[1] - xTicks[0] : 1.0;
  const double yStep = yTicks.size() > 1 ? yTicks[1] - yTicks[0] : 1.0;

  double labelWidth = 0;
  for (double t : yTicks)
    labelWidth = std::max(labelWidth, metrics.horizontalAdvance(tickLabel(t, yStep)));
  const double titleHeight = metrics.height() * 2.0;
  const QRectF plot(area.left() + labelWidth + metrics.height() * 2.2, area.top() + titleHeight,
                    area.width() - labelWidth - metrics.height() * 3.2 - 18,
                    area.height() - titleHeight - metrics.height() * 3.2);
  auto toX = [&](double x) { return plot.left() + (x - xLow) / (xHigh - xLow) * plot.width(); };
  auto toY = [&](double y) { return plot.bottom() - (y - yLow) / (yHigh - yLow) * plot.height(); };

  // Title, grid, ticks, axis labels.
  QFont titleFont = font;
  titleFont.setPixelSize(15);
  titleFont.setBold(true);
  p.setFont(titleFont);
  p.setPen(Qt::black);
  p.drawText(QRectF(area.left(), area.top(), area.width(), titleHeight), Qt::AlignCenter, chart.title);
  p.setFont(font);
  for (double t : xTicks) {
    p.setPen(QPen(QColor(225, 225, 225), 1));
    p.drawLine(QPointF(toX(t), plot.top()), QPointF(toX(t), plot.bottom()));
    p.setPen(QColor(60, 60, 60));
    p.drawText(QRectF(toX(t) - 40, plot.bottom() + 4, 80, metrics.height()), Qt::AlignHCenter | Qt::AlignTop,
               tickLabel(t, xStep));
  }
  for (double t : yTicks) {
    p.setPen(QPen(QColor(225, 225, 225), 1));
    p.drawLine(QPointF(plot.left(), toY(t)), QPointF(plot.right(), toY(t)));
    p.setPen(QColor(60, 60, 60));
    p.drawText(QRectF(plot.left() - labelWidth - 8, toY(t) - metrics.height() / 2, labelWidth + 4, metrics.height()),
               Qt::AlignRight | Qt::AlignVCenter, tickLabel(t, yStep));
  }
  p.setPen(QPen(QColor(90, 90, 90), 1));
  p.drawRect(plot);
  p.setPen(Qt::black);
  p.drawText(QRectF(plot.left(), plot.bottom() + metrics.height() * 1.4, plot.width(), metrics.height() * 1.5),
             Qt::AlignCenter, chart.xLabel);
  p.save();
  p.translate(area.left() + metrics.height() * 0.9, plot.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-plot.height() / 2, -metrics.height() / 2, plot.height(), metrics.height()), Qt::AlignCenter,
             chart.yLabel);
  p.restore();

  // The lines, clipped to the plot.
  p.save();
  p.setClipRect(plot);
  for (const CurveSeries& s : chart.series) {
    QPainterPath path;
    bool started = false;
    for (const QPointF& point : s.points) {
      if (!std::isfinite(point.x()) || !std::isfinite(point.y())) continue;
      const QPointF at(toX(point.x()), toY(point.y()));
      started ? path.lineTo(at) : path.moveTo(at);
      started = true;
    }
    p.setPen(QPen(s.color, 2.0, s.dashed ? Qt::DashLine : Qt::SolidLine));
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
    if (s.points.size() == 1) p.drawEllipse(QPointF(toX(s.points[0].x()), toY(s.points[0].y())), 3, 3);
  }
  p.restore();

  // Legend, top right inside the plot.
  double legendWidth = 0;
  for (const CurveSeries& s : chart.series)
    legendWidth = std::max(legendWidth, metrics.horizontalAdvance(s.name));
  legendWidth += 44;
  const double row = metrics.height() * 1.3;
  const QRectF legend(plot.right() - legendWidth - 8, plot.top() + 8, legendWidth,
                      row * static_cast<double>(chart.series.size()) + 8);
  p.setPen(QPen(QColor(180, 180, 180), 1));
  p.setBrush(QColor(255, 255, 255, 230));
  p.drawRect(legend);
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const CurveSeries& s = chart.series[i];
    const double y = legend.top() + 4 + row * (static_cast<double>(i) + 0.5);
    p.setPen(QPen(s.color, 2.0, s.dashed ? Qt::DashLine : Qt::SolidLine));
    p.drawLine(QPointF(legend.left() + 6, y), QPointF(legend.left() + 32, y));
    p.setPen(Qt::black);
    p.drawText(QRectF(legend.left() + 38, y - row / 2, legendWidth - 40, row), Qt::AlignLeft | Qt::AlignVCenter,
               s.name);
  }
  p.restore();
}

Status saveCurveChart(const CurveChartSpec& chart, const QString& pngPath, const QString& svgPath, QSize size) {
  if (!pngPath.isEmpty()) {
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    paintCurveChart(painter, QRectF(QPointF(0, 0), QSizeF(size)), chart);
    painter.end();
    if (!image.save(pngPath, "PNG")) {
      return Error{ErrorKind::Io, pngPath.toStdString(), -1, "The chart could not be written."};
    }
  }
  if (!svgPath.isEmpty()) {
    QSvgGenerator svg;
    svg.setFileName(svgPath);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(chart.title);
    QPainter painter;
    if (!painter.begin(&svg)) {
      return Error{ErrorKind::Io, svgPath.toStdString(), -1, "The chart could not be written."};
    }
    paintCurveChart(painter, QRectF(QPointF(0, 0), QSizeF(size)), chart);
    painter.end();
    if (!QFileInfo(svgPath).exists()) {
      return Error{ErrorKind::Io, svgPath.toStdString(), -1, "The chart could not be written."};
    }
  }
  return Done{};
}

} // namespace lyrebird::ui
