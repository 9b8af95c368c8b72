"""Lighthouse's scores for a sample of the book's pages: `python -m bookbuild.lighthouse [SITE]`.

SITE is a built site (`mkdocs build -d SITE`); without it the book is built into a temporary folder
first. The site is served on 127.0.0.1 under site_url's path, gzipped as GitHub Pages serves it
(bookbuild/serving.py; performance drops by 20 points and more without), and Lighthouse (mobile
defaults) runs on each page of PAGES in Chromium. Each score is printed beside its target, with the audits that failed,
and the bytes the page transferred on its first load.
Exits 1 when a target is missed, and 0 with a message, running nothing, when Lighthouse is not
installed (README, "Lighthouse", says how to install it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bookbuild.serving import ROOT, served

PAGES = [
    "",
    "forward-propagation/",
    "optimizers/",
    "ko/backpropagation/",
    "glossary/",
    "lab-house-prices/",
    "404.html",
]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Performance is simulated from the page's load on this machine, its CPU work slowed down 4 times,
# which makes a machine of benchmark index about 1500 (a high-end desktop) a mid-tier phone. On a
# slower machine, or a busy one, the same page scores lower: Lighthouse's docs (docs/throttling.md)
# tell how to calibrate, and the slowdown its calculator gives for the index measured is printed.
BENCHMARK = "(this machine's Lighthouse benchmark index: {:.0f}; {})"
CALIBRATED = "Lighthouse's calculator would slow its CPU down {:.1f} times, where the defaults here slow it 4 times"
TOO_SLOW = "Lighthouse's calculator finds it too slow to emulate a phone"


def calibrated_slowdown(benchmark_index: float) -> float | None:
    """The CPU slowdown that Lighthouse's throttling calculator (linked from its docs/throttling.md)
    gives for a benchmark index: 1 at 150, 2 at 800, 3 at 1300, 4 at 1533, one more for each 233
    above; None below 150, where the calculator finds the machine too slow to emulate the phone."""
    if benchmark_index >= 1300:
        return 3 + (benchmark_index - 1300) / 233
    if benchmark_index >= 800:
        return 2 + (benchmark_index - 800) / 500
    if benchmark_index >= 150:
        return 1 + (benchmark_index - 150) / 650
    return None


def audit(url: str, lighthouse: str) -> dict:
    """Lighthouse's report of one page, as JSON."""
    result = subprocess.run(
        [
            lighthouse,
            url,
            "--output=json",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox",
            f"--only-categories={','.join(TARGETS)}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def failures(report: dict) -> list[str]:
    """The audits that count in a score and failed, each with the page's elements they name."""
    failed = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            found = report["audits"][ref["id"]]
            if ref["weight"] and found["score"] is not None and found["score"] < 1:
                items = (found.get("details") or {}).get("items") or []
                failed.append(f"{category['id']}: {ref['id']} ({found['score']:.2f}, {len(items)} items)")
    return failed


def main() -> None:
    lighthouse = shutil.which("lighthouse")
    if lighthouse is None:
        print("Lighthouse is not installed: npm install -g -E lighthouse@12.2.3 (README, \"Lighthouse\"). Nothing run.")
        return
    with tempfile.TemporaryDirectory() as scratch:
        if len(sys.argv) > 1:
            site = Path(sys.argv[1])
        else:
            site = Path(scratch) / "site"
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, check=True)
        missed = False
        print(f"{'page':<24}" + "".join(f"{name:>18}" for name in TARGETS) + f"{'KiB transferred':>18}")
        print(f"{'target':<24}" + "".join(f"{'>= ' + str(target):>18}" for target in TARGETS.values()))
        with served(site) as root:
            for page in PAGES:
                report = audit(f"{root}/{page}", lighthouse)
                if page == PAGES[0]:
                    index = report["environment"]["benchmarkIndex"]
                    slowdown = calibrated_slowdown(index)
                    print(BENCHMARK.format(index, TOO_SLOW if slowdown is None else CALIBRATED.format(slowdown)))
                scores = {name: round(100 * report["categories"][name]["score"]) for name in TARGETS}
                met = {name: scores[name] >= TARGETS[name] for name in TARGETS}
                missed |= not all(met.values())
                cells = "".join(f"{str(scores[n]) + ('' if met[n] else ' MISSED'):>18}" for n in TARGETS)
                kib = report["audits"]["total-byte-weight"]["numericValue"] / 1024
                print(f"{'/' + page:<24}{cells}{kib:>18.0f}")
                for failure in failures(report):
                    print(f"{'':<26}{failure}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
