#!/usr/bin/python3
"""Yardstick for `lyrebird-cli bench parse`: python3-mido reading every MIDI file of a folder.

Prints one JSON object with the same fields as `lyrebird-cli bench parse DIR`
(files, bytes, notes, seconds, files_per_s, mb_per_s). Run with Debian's python3:
    /usr/bin/python3 tests/bench/mido_parse_bench.py ../shared/data/piano-midi-de
"""
import json
import os
import sys
import time

import mido

EXTENSIONS = (".mid", ".midi", ".kar", ".rmi")


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    paths = sorted(
        os.path.join(folder, name)
        for folder, _, names in os.walk(root)
        for name in names
        if name.lower().endswith(EXTENSIONS)
    )
    files = failed = notes = size = 0
    start = time.perf_counter()
    for path in paths:
        files += 1
        size += os.path.getsize(path)
        try:
            midi = mido.MidiFile(path, clip=True)
        except Exception:  # noqa: BLE001 - a broken file counts as failed, like Lyrebird's loader
            failed += 1
            continue
        notes += sum(1 for track in midi.tracks for m in track if m.type == "note_on" and m.velocity > 0)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "tool": "mido " + mido.__version__,
        "folder": root,
        "files": files,
        "failed": failed,
        "bytes": size,
        "notes": notes,
        "seconds": seconds,
        "files_per_s": files / seconds,
        "mb_per_s": size / 1e6 / seconds,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
