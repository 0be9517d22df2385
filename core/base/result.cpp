#include "base/result.h"

namespace lyrebird {

std::string_view errorKindName(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::Io: return "io";
  case ErrorKind::NotMidi: return "not-midi";
  case ErrorKind::BadHeader: return "bad-header";
  case ErrorKind::NoTracks: return "no-tracks";
  case ErrorKind::Corrupt: return "corrupt";
  case ErrorKind::Truncated: return "truncated";
  case ErrorKind::TooLarge: return "too-large";
  case ErrorKind::TrackCountMismatch: return "track-count-mismatch";
  case ErrorKind::TrailingData: return "trailing-data";
  case ErrorKind::IllegalEvent: return "illegal-event";
  case ErrorKind::NotFound: return "not-found";
  case ErrorKind::Cancelled: return "cancelled";
  case ErrorKind::InvalidArgument: return "invalid-argument";
  case ErrorKind::NoMusic: return "no-music";
  case ErrorKind::Diverged: return "diverged";
  case ErrorKind::DeviceUnavailable: return "device-unavailable";
  case ErrorKind::Internal: return "internal";
  }
  return "unknown";
}

std::string Error::describe() const {
  std::string text;
  if (!path.empty()) {
    text += path;
    text += ": ";
  }
  if (offset >= 0) {
    text += "byte ";
    text += std::to_string(offset);
    text += ": ";
  }
  text += message;
  return text;
}

} // namespace lyrebird
