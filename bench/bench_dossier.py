"""Time the dossier PDF of a child with two years of records against bare reportlab.

    python bench/bench_dossier.py [--visits 24] [--repeat 7]

"ours" is ``render_dossier_pdf`` end to end (story, layout, deferred page numbers, atomic
write); "bare" is reportlab's SimpleDocTemplate laying out and writing an already built copy
of the same story with the plain canvas and no page decoration. Medians are reported.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "forms"))

import form_samples
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from exports.dossier_pdf import dossier_story, render_dossier_pdf
from exports.pdf_layout import BOTTOM_MARGIN, LEFT_MARGIN, RIGHT_MARGIN, TOP_MARGIN

# CPU time of this process: the figures stay comparable on a busy machine.
clock = time.process_time


def time_ours(dossier, folder: Path) -> float:
    start = clock()
    render_dossier_pdf(dossier, folder / "ours.pdf")
    return clock() - start


def time_story(dossier) -> float:
    start = clock()
    dossier_story(dossier)
    return clock() - start


def time_bare(dossier, folder: Path) -> float:
    story = dossier_story(dossier)
    start = clock()
    doc = SimpleDocTemplate(str(folder / "bare.pdf"), pagesize=A4, leftMargin=LEFT_MARGIN,
                            rightMargin=RIGHT_MARGIN, topMargin=TOP_MARGIN,
                            bottomMargin=BOTTOM_MARGIN)
    doc.build(story)
    return clock() - start


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[-1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    dossier = form_samples.dossier(visits=args.visits)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        time_ours(dossier, folder)  # warm-up: font registration and parsing
        time_bare(dossier, folder)
        ours = [time_ours(dossier, folder) for _ in range(args.repeat)]
        bare = [time_bare(dossier, folder) for _ in range(args.repeat)]
        story = [time_story(dossier) for _ in range(args.repeat)]
        pages = page_count(folder / "ours.pdf")
    ours_s, bare_s = statistics.median(ours), statistics.median(bare)
    print(f"dossier: {args.visits} visits, {len(dossier.parts)} parts (CPU time, "
          f"{args.repeat} runs each)")
    print(f"ours (render_dossier_pdf): median {ours_s * 1000:.0f} ms "
          f"(min {min(ours) * 1000:.0f} ms)")
    print(f"bare reportlab layout   : median {bare_s * 1000:.0f} ms "
          f"(min {min(bare) * 1000:.0f} ms)")
    print(f"  of which building the story (flowables): median "
          f"{statistics.median(story) * 1000:.0f} ms")
    print(f"ratio ours/bare: {ours_s / bare_s:.2f}x; {pages} pages")


if __name__ == "__main__":
    main()
