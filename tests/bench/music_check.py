#!/usr/bin/env python3
"""Reads `lyrebird-cli evaluate` JSON files and prints, per file, every measure of the takes beside
the held-out music's, and the checks a model's music must pass (the music issue's "done when"):

  scale consistency >= held-out - 0.05; polyphony within x0.75 .. x1.33 of held-out;
  distinct 4-gram ratio <= held-out + 0.2 and >= half of it; longest run <= 2 x held-out + 4;
  groove consistency >= held-out - 0.08; set distances <= 1.5 x training-music yardstick + 0.03;
  no take copies more than 16 notes of a training file.

  tests/bench/music_check.py NAME=EVALUATE.json [NAME=EVALUATE.json ...] [--markdown]
"""
import json
import sys


def mean_overlap(o):
    return sum(o.values()) / len(o) if o else float("nan")


def checks(d):
    m, r = d["mean"], d["reference"]
    s, y = d["set"], d["yardsticks"]["training_music_set"]
    copy = max(t["longest_copy_notes"] for t in d["takes"])
    return [
        ("scale consistency", m["scale_consistency"], r["scale_consistency"],
         m["scale_consistency"] >= r["scale_consistency"] - 0.05),
        ("polyphony", m["polyphony"], r["polyphony"],
         0.75 * r["polyphony"] <= m["polyphony"] <= 1.33 * r["polyphony"]),
        ("distinct 4-gram ratio", m["distinct_4gram_ratio"], r["distinct_4gram_ratio"],
         r["distinct_4gram_ratio"] / 2 <= m["distinct_4gram_ratio"] <= r["distinct_4gram_ratio"] + 0.2),
        ("longest run", m["longest_repeat"], r["longest_repeat"],
         m["longest_repeat"] <= 2 * r["longest_repeat"] + 4),
        ("groove consistency", m["groove_consistency"], r["groove_consistency"],
         m["groove_consistency"] >= r["groove_consistency"] - 0.08),
        ("pitch-class set distance", s["pc_distance"], y["pc_distance"],
         s["pc_distance"] <= 1.5 * y["pc_distance"] + 0.03),
        ("rhythm (IOI) set distance", s["ioi_distance"], y["ioi_distance"],
         s["ioi_distance"] <= 1.5 * y["ioi_distance"] + 0.03),
        ("longest copy (notes, max)", copy, 16, copy <= 16),
        ("Yang-Lerch overlap (mean of 9)", mean_overlap(d.get("overlap")), mean_overlap(d["yardsticks"].get("overlap")), None),
        ("note density (notes/s)", m["note_density"], r["note_density"], None),
        ("empty beats", m["empty_beat_rate"], r["empty_beat_rate"], None),
        ("pitch range", m["pitch_range"], r["pitch_range"], None),
    ]


def main(argv):
    markdown = "--markdown" in argv
    args = [a for a in argv if a != "--markdown"]
    if not args:
        print(__doc__.strip())
        return 2
    failed = 0
    for arg in args:
        name, _, path = arg.rpartition("=")
        with open(path) as f:
            d = json.load(f)
        rows = checks(d)
        print(f"\n{name or path}: {len(d['takes'])} takes vs {d['reference']['pieces']} held-out pieces"
              f" (for set distances and copies: the training-music yardstick and the 16-note limit)")
        if markdown:
            print("| measure | takes | held-out / yardstick | check |\n|---|---:|---:|---|")
        for label, take, ref, ok in rows:
            verdict = "" if ok is None else ("pass" if ok else "FAIL")
            failed += ok is False
            if markdown:
                print(f"| {label} | {take:.3f} | {ref:.3f} | {verdict} |")
            else:
                print(f"  {label:28s} {take:8.3f}  {ref:8.3f}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
