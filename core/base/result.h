#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace lyrebird {

/// What went wrong, coarse enough for a program to branch on and for tests to assert.
enum class ErrorKind {
  Io,                 ///< the file could not be opened, read or written
  NotMidi,            ///< no Standard MIDI File signature (or an empty file)
  BadHeader,          ///< the MThd chunk is malformed (length, format, time division)
  NoTracks,           ///< a valid header but not a single track chunk
  Corrupt,            ///< bytes that cannot be a MIDI event or chunk
  Truncated,          ///< the file ends before the data it announces
  TooLarge,           ///< over a size limit that protects memory
  TrackCountMismatch, ///< (warning) the header's track count disagrees with the chunks
  TrailingData,       ///< (warning) bytes after the last chunk that are not a chunk
  IllegalEvent,       ///< (warning) system common/real-time bytes inside a track, skipped
  NotFound,           ///< a file, folder, port or SoundFont that does not exist
  Cancelled,          ///< the caller asked to stop
  InvalidArgument,    ///< a setting or option out of range or not understood ("tempo must be above 0")
  NoMusic,            ///< music was needed and there is none to use (no loadable file, no window, no note)
  Diverged,           ///< training stopped because the loss is no longer a number
  DeviceUnavailable,  ///< an audio or MIDI system, or a port, that this machine cannot open
  Internal,           ///< a library failed where it should not (LibTorch, FluidSynth): the message has its words
};

/// Stable lower-case name of a kind ("not-midi", "truncated", ...), for JSON and tests.
std::string_view errorKindName(ErrorKind kind);

/// An expected failure (or a warning): which file, where in it, and a sentence a
/// musician can act on. Errors are values in Lyrebird; nothing throws across core's API.
struct Error {
  ErrorKind kind = ErrorKind::Io;
  std::string path;         ///< the file or folder involved; may be empty for in-memory data
  std::int64_t offset = -1; ///< byte offset in the file, or -1 when not about a position
  std::string message;      ///< one sentence, no path, no offset (those are in the fields)

  /// "path: byte N: message" (path and offset only when known).
  std::string describe() const;
};

/// Either a value or an Error. A small stand-in for C++23 std::expected.
template <typename T> class Result {
public:
  Result(T value) : m_state(std::move(value)) {}     // NOLINT: implicit on purpose
  Result(Error error) : m_state(std::move(error)) {} // NOLINT: implicit on purpose

  bool ok() const { return std::holds_alternative<T>(m_state); }
  explicit operator bool() const { return ok(); }

  /// The value; only valid when ok().
  T& value() & { return std::get<T>(m_state); }
  const T& value() const& { return std::get<T>(m_state); }
  T&& value() && { return std::get<T>(std::move(m_state)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error; only valid when !ok().
  const Error& error() const { return std::get<Error>(m_state); }

private:
  std::variant<T, Error> m_state;
};

/// Result of an operation that produces nothing but may fail.
struct Done {};
using Status = Result<Done>;

} // namespace lyrebird
