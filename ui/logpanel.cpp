#include "logpanel.h"

#include <QTime>

namespace lyrebird::ui {

LogPanel::LogPanel(QWidget* parent) : QPlainTextEdit(parent) {
  setReadOnly(true);
  setMaximumBlockCount(5000);
  setObjectName(QStringLiteral("log"));
}

void LogPanel::append(const QString& text) {
  appendPlainText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss  ")) + text);
}

} // namespace lyrebird::ui
