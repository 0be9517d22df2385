#include "commandline.h"

#include "commands.h"

namespace lyrebird::cli {

CommandLine::CommandLine(const QString& name, const QString& description)
    : m_prefix(QStringLiteral("lyrebird-cli ") + name) {
  m_parser.setApplicationDescription(description);
  m_parser.addHelpOption();
}

std::optional<int> CommandLine::parse(const QStringList& arguments) {
  if (!m_parser.parse(arguments)) {
    error() << m_parser.errorText() << "\n";
    return kExitUsage;
  }
  if (m_parser.isSet(QStringLiteral("help"))) {
    m_out << m_parser.helpText();
    return kExitOk;
  }
  return std::nullopt;
}

QTextStream& CommandLine::error() {
  m_err << m_prefix << ": ";
  return m_err;
}

} // namespace lyrebird::cli
