#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Lyrebird"));
  QApplication::setApplicationName(QStringLiteral("Lyrebird"));
  QApplication::setApplicationVersion(QStringLiteral(LYREBIRD_VERSION));
  QApplication::setDesktopFileName(QStringLiteral("lyrebird"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Learns music from a folder of MIDI files and writes new music."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A MIDI file to open."), QStringLiteral("[file.mid]"));
  parser.process(app);

  lyrebird::ui::MainWindow window;
  window.show();
  if (!parser.positionalArguments().isEmpty()) window.openMidi(parser.positionalArguments().constFirst());
  return QApplication::exec();
}
