#!/usr/bin/env python3
"""Assembles the bundled model's training folder from ../shared/data (see make-demo-model.sh).

Links every licensed piece into OUT, named after its corpus and path, and writes the attribution
list (one row per piece: file, title, composer, licence, source). The demo corpus's pieces are left
out by content, so the bundled model never learns them.
"""
import argparse
import csv
import hashlib
import os
import sys

# Public domain, CC BY and CC BY-SA (any version); never NonCommercial or NoDerivatives.
LICENSED = ("Public Domain", "Creative Commons Attribution ", "Creative Commons Attribution-ShareAlike ")


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def midi_files(folder):
    for base, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith((".mid", ".midi")):
                yield os.path.join(base, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True)
    parser.add_argument("--demo", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--attribution", required=True)
    args = parser.parse_args()

    demo = {digest(p) for p in midi_files(args.demo)}
    rows = []  # (link name, target, title, composer, licence, source)

    mutopia = os.path.join(args.data, "mutopia-keyboard")
    with open(os.path.join(mutopia, "manifest.tsv"), newline="", encoding="utf-8") as f:
        for entry in csv.DictReader(f, delimiter="\t"):
            licence = entry["license"].strip()
            if not licence.startswith(LICENSED):
                print(f"left out (licence '{licence}'): {entry['file']}", file=sys.stderr)
                continue
            target = os.path.join(mutopia, "midi", entry["file"])
            if digest(target) in demo:
                continue
            name = "mutopia-" + entry["file"].replace("/", "-")
            rows.append((name, target, entry["title"], entry["composer"], licence,
                         "Mutopia Project, " + entry["source_ly"]))

    piano = os.path.join(args.data, "piano-midi-de")
    titles = {}
    with open(os.path.join(piano, "metadata.csv"), newline="", encoding="utf-8") as f:
        for entry in csv.DictReader(f):
            titles[os.path.normpath(entry["midi"])] = (entry["title"].replace("_", " "), entry["composer"])
    for target in midi_files(piano):
        relative = os.path.relpath(target, piano)
        title, composer = titles.get(os.path.normpath(relative), (os.path.basename(relative), ""))
        rows.append(("pianomidide-" + relative.replace("/", "-"), target, title, composer,
                     "CC BY-SA 3.0 DE, Bernd Krueger", "http://www.piano-midi.de/"))

    jsb = os.path.join(args.data, "jsb-chorales")
    for split in ("train", "valid", "test"):
        for target in midi_files(os.path.join(jsb, split)):
            rows.append(("jsb-" + os.path.basename(target), target, "Chorale " + os.path.basename(target)[:-4],
                         "Bach, J. S.", "Public Domain",
                         "JSB Chorales (Boulanger-Lewandowski 2012 split), github.com/czhuang/JSB-Chorales-dataset"))

    os.makedirs(args.out, exist_ok=True)
    wanted = {name for name, *_ in rows}
    for existing in os.listdir(args.out):
        if existing not in wanted:
            os.remove(os.path.join(args.out, existing))
    for name, target, *_ in rows:
        link = os.path.join(args.out, name)
        if os.path.islink(link) and os.readlink(link) == os.path.abspath(target):
            continue
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.abspath(target), link)

    with open(args.attribution, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(("file", "title", "composer", "licence", "source"))
        for name, _, title, composer, licence, source in rows:
            writer.writerow((name, title, composer, licence, source))
    print(f"{len(rows)} pieces in {args.out} ({len(demo)} demo pieces left out)", file=sys.stderr)


if __name__ == "__main__":
    main()
