#!/usr/bin/env python3
"""Reads `lyrebird-cli evaluate` JSON files and prints, per file, every measure of the takes beside
the held-out music's, and the checks a model's music must pass (the music issue's "done when"):

  scale consistency >= held-out - 0.05; polyphony within x0.75 .. x1.33 of held-out;
  distinct 4-gram ratio <= held-out + 0.2 and >= half of it; longest run <= 2 x held-out + 4;
  groove consistency >= held-out - 0.08; set distances <= 1.5 x training-music yardstick + 0.03;
  no take copies more than 16 notes of a training file.

Each check is shown against the held-out pieces whole (the issue's yardstick) and against their
openings as long as the takes (evaluate's yardsticks.held_out_openings_mean); the exit status
follows the openings.

  tests/bench/music_check.py NAME=EVALUATE.json [NAME=EVALUATE.json ...] [--markdown]
"""
import json
import sys


def mean_overlap(o):
    return sum(o.values()) / len(o) if o else float("nan")


def checks(d):
    """Rows (label, takes' value, held-out whole pieces, held-out openings, check or None). A check
    is a function of the held-out value; it is applied to both the whole pieces and their openings
    (the first N seconds, as long as the takes: repetition measures depend on length)."""
    m, r = d["mean"], d["reference"]
    o = d["yardsticks"].get("held_out_openings_mean", r)
    s, y = d["set"], d["yardsticks"]["training_music_set"]
    copy = max(t["longest_copy_notes"] for t in d["takes"])

    def row(label, key, check):
        return (label, m[key], r[key], o[key], check)

    def same(v):
        return (v, v)

    return [
        row("scale consistency", "scale_consistency", lambda h: m["scale_consistency"] >= h - 0.05),
        row("polyphony", "polyphony", lambda h: 0.75 * h <= m["polyphony"] <= 1.33 * h),
        row("distinct 4-gram ratio", "distinct_4gram_ratio",
            lambda h: h / 2 <= m["distinct_4gram_ratio"] <= h + 0.2),
        row("longest run", "longest_repeat", lambda h: m["longest_repeat"] <= 2 * h + 4),
        row("groove consistency", "groove_consistency", lambda h: m["groove_consistency"] >= h - 0.08),
        ("pitch-class set distance", s["pc_distance"], *same(y["pc_distance"]),
         lambda h: s["pc_distance"] <= 1.5 * h + 0.03),
        ("rhythm (IOI) set distance", s["ioi_distance"], *same(y["ioi_distance"]),
         lambda h: s["ioi_distance"] <= 1.5 * h + 0.03),
        ("longest copy (notes, max)", copy, *same(16), lambda h: copy <= h),
        ("Yang-Lerch overlap (mean of 9)", mean_overlap(d.get("overlap")),
         *same(mean_overlap(d["yardsticks"].get("overlap"))), None),
        row("note density (notes/s)", "note_density", None),
        row("empty beats", "empty_beat_rate", None),
        row("pitch range", "pitch_range", None),
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
        print(f"\n{name or path}: {len(d['takes'])} takes vs {d['reference']['pieces']} held-out pieces, whole"
              f" and their first {d['yardsticks'].get('opening_seconds', 30):g} s (set distances and copies:"
              f" the training-music yardstick and the 16-note limit)")
        if markdown:
            print("| measure | takes | held-out | held-out openings | check (whole / openings) |\n"
                  "|---|---:|---:|---:|---|")
        for label, take, whole, opening, check in rows:
            verdicts = [] if check is None else [check(whole), check(opening)]
            failed += bool(verdicts) and not verdicts[1]
            verdict = " / ".join("pass" if v else "FAIL" for v in verdicts)
            if markdown:
                print(f"| {label} | {take:.3f} | {whole:.3f} | {opening:.3f} | {verdict} |")
            else:
                print(f"  {label:31s} {take:8.3f}  {whole:8.3f}  {opening:8.3f}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
