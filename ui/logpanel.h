#pragma once

#include <QPlainTextEdit>

namespace lyrebird::ui {

/// The Log panel: time-stamped sentences from loading, training and generation. GUI thread.
class LogPanel : public QPlainTextEdit {
  Q_OBJECT

public:
  explicit LogPanel(QWidget* parent = nullptr);

public Q_SLOTS:
  void append(const QString& text);
};

} // namespace lyrebird::ui
