#include "generate/scale.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace lyrebird::generate {

namespace {

struct Mode {
  const char* name;
  std::vector<int> steps; // semitones above the tonic
};

const std::vector<Mode>& modes() {
  static const std::vector<Mode> all = {
      {"major", {0, 2, 4, 5, 7, 9, 11}},
      {"ionian", {0, 2, 4, 5, 7, 9, 11}},
      {"minor", {0, 2, 3, 5, 7, 8, 10}},
      {"aeolian", {0, 2, 3, 5, 7, 8, 10}},
      {"dorian", {0, 2, 3, 5, 7, 9, 10}},
      {"phrygian", {0, 1, 3, 5, 7, 8, 10}},
      {"lydian", {0, 2, 4, 6, 7, 9, 11}},
      {"mixolydian", {0, 2, 4, 5, 7, 9, 10}},
      {"locrian", {0, 1, 3, 5, 6, 8, 10}},
      {"harmonic minor", {0, 2, 3, 5, 7, 8, 11}},
      {"melodic minor", {0, 2, 3, 5, 7, 9, 11}},
      {"pentatonic", {0, 2, 4, 7, 9}},
      {"major pentatonic", {0, 2, 4, 7, 9}},
      {"minor pentatonic", {0, 3, 5, 7, 10}},
      {"blues", {0, 3, 5, 6, 7, 10}},
      {"whole tone", {0, 2, 4, 6, 8, 10}},
      {"chromatic", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
  };
  return all;
}

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s)
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::string trimmedSingleSpaced(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
    } else {
      if (space) out.push_back(' ');
      out.push_back(c);
      space = false;
    }
  }
  return out;
}

} // namespace

std::vector<std::string> scaleModeNames() {
  std::vector<std::string> names;
  for (const Mode& m : modes())
    names.emplace_back(m.name);
  return names;
}

Result<Scale> parseScale(std::string_view text) {
  const std::string clean = lower(trimmedSingleSpaced(text));
  auto fail = [&](const std::string& why) { return Error{ErrorKind::InvalidArgument, {}, -1, why}; };
  if (clean.empty()) return fail("No key was given; write it like \"D dorian\" or \"Eb major\".");
  Scale scale;
  if (clean == "chromatic") {
    scale.pitchClasses.fill(true);
    scale.name = "chromatic";
    return scale;
  }
  static const std::pair<char, int> letters[] = {{'c', 0}, {'d', 2}, {'e', 4}, {'f', 5}, {'g', 7}, {'a', 9}, {'b', 11}};
  const auto letter =
      std::find_if(std::begin(letters), std::end(letters), [&](const auto& l) { return l.first == clean[0]; });
  if (letter == std::end(letters)) {
    return fail("\"" + std::string(text) + "\" does not start with a note name (C, D, E, F, G, A or B).");
  }
  int tonic = letter->second;
  std::size_t pos = 1;
  std::string accidental;
  // An accidental follows the letter directly ("Eb", "bb minor"); the mode follows a space.
  if (pos < clean.size() && (clean[pos] == '#' || clean[pos] == 'b')) {
    tonic += clean[pos] == 'b' ? -1 : 1;
    accidental = clean[pos] == 'b' ? "b" : "#";
    ++pos;
  }
  if (pos < clean.size() && clean[pos] != ' ') {
    return fail("\"" + std::string(text) + "\" is not a key; write it like \"D dorian\" or \"Eb major\".");
  }
  tonic = (tonic + 12) % 12;
  std::string modeName = pos < clean.size() ? clean.substr(pos) : "major";
  if (!modeName.empty() && modeName.front() == ' ') modeName.erase(0, 1);
  const auto mode = std::find_if(modes().begin(), modes().end(), [&](const Mode& m) { return modeName == m.name; });
  if (mode == modes().end()) {
    return fail("\"" + modeName +
                "\" is not a mode Lyrebird knows; try major, minor, dorian, phrygian, lydian, "
                "mixolydian, locrian, harmonic minor, melodic minor, pentatonic, minor pentatonic, "
                "blues, whole tone or chromatic.");
  }
  for (int step : mode->steps)
    scale.pitchClasses[static_cast<std::size_t>((tonic + step) % 12)] = true;
  scale.tonic = tonic;
  std::string tonicName(1, static_cast<char>(std::toupper(static_cast<unsigned char>(clean[0]))));
  scale.name = tonicName + accidental + " " + mode->name;
  return scale;
}

} // namespace lyrebird::generate
