#include "corpuspanel.h"
#include "generatepanel.h"
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
  const QCommandLineOption corpus(QStringLiteral("corpus"), QStringLiteral("Load this folder of MIDI files."), QStringLiteral("DIR"));
  const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Open this model for generating."), QStringLiteral("MODEL.lyrebird"));
  parser.addOptions({corpus, model});
  parser.process(app);

  lyrebird::ui::MainWindow window;
  window.show();
  if (!parser.positionalArguments().isEmpty()) window.openMidi(parser.positionalArguments().constFirst());
  if (parser.isSet(corpus)) window.corpusPanel()->load(parser.value(corpus));
  if (parser.isSet(model)) window.generatePanel()->loadModel(parser.value(model));
  return QApplication::exec();
}
