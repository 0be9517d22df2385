#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <optional>

namespace lyrebird::cli {

/// One sub-command's command line: its parser (with --help), its standard output and error, and
/// the error line every command prints, "lyrebird-cli NAME: message". Main thread.
class CommandLine {
public:
  /// `name`: the command as typed after lyrebird-cli ("render", "bench train").
  CommandLine(const QString& name, const QString& description);

  QCommandLineParser& parser() { return m_parser; }
  QTextStream& out() { return m_out; }
  QTextStream& err() { return m_err; }

  /// Parses `arguments` (the command's name first). nullopt: the command goes on; otherwise
  /// its exit status, after printing the parse error (usage) or the help (success).
  std::optional<int> parse(const QStringList& arguments);

  /// Standard error after "lyrebird-cli NAME: ", to finish an error line on.
  QTextStream& error();
  /// "lyrebird-cli NAME", for helpers that write the error lines of several commands.
  const QString& prefix() const { return m_prefix; }

private:
  QString m_prefix;
  QCommandLineParser m_parser;
  QTextStream m_out{stdout};
  QTextStream m_err{stderr};
};

} // namespace lyrebird::cli
