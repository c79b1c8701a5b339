"""The HTML report: render time from briefs.json, file size, and load time in Chromium.

    python bench/report.py [--sets seeds,examples,duc2006] [--reuse] [--json OUT]

Each set is briefed once (``storybrief.brief``; the pooled DUC 2006 set is 1,240
articles, so its briefs.json is kept in out/bench/ and ``--reuse`` skips the
brief), then the page is rendered from the saved JSON alone, as ``storybrief
report`` does, and opened in headless Chromium (/usr/bin/chromium) for its load
event. Targets (issue 17): DUC 2006 renders in <= 5 s, weighs <= 8 MB, loads in <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared"
OUT = ROOT / "out" / "bench"
TARGETS = {"duc2006": (5.0, 8.0, 2.0)}


def _duc_records(path: Path) -> Path:
    """The pooled DUC 2006 documents as one JSON-lines file (each document once)."""
    seen: set[str] = set()
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for doc in json.loads(line)["documents"]:
            if doc["id"] not in seen:
                seen.add(doc["id"])
                rows.append({"id": doc["id"], "title": doc.get("title"), "date": doc.get("date"), "text": doc["text"]})
    target = OUT / "duc2006-pooled.jsonl"
    target.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return target


def _briefed(name: str, reuse: bool) -> tuple[Path, float]:
    import storybrief  # noqa: PLC0415

    saved = OUT / f"{name}.briefs.json"
    if reuse and saved.is_file():
        return saved, float("nan")
    source = {"seeds": SHARED / "seeds", "examples": ROOT / "examples"}.get(name)
    if name == "duc2006":
        source = _duc_records(SHARED / "data" / "duc2006.jsonl")
    if source is None or not source.exists():
        raise SystemExit(f"{name}: input not found")
    start = time.perf_counter()
    result = storybrief.brief(storybrief.ingest([str(source)]))
    seconds = time.perf_counter() - start
    saved.write_text(json.dumps(storybrief.brief_to_dict(result), ensure_ascii=False) + "\n", encoding="utf-8")
    return saved, seconds


def _load_seconds(page: Path) -> float | None:
    if not Path("/usr/bin/chromium").is_file():
        return None
    from selenium import webdriver  # noqa: PLC0415
    from selenium.webdriver.chrome.options import Options  # noqa: PLC0415
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.set_window_size(1280, 800)
        driver.get("about:blank")
        best = None
        for _ in range(3):
            driver.get(page.resolve().as_uri())
            ms = 0.0
            for _ in range(600):  # the load event's end is set once its handlers ran
                ms = driver.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd")
                if ms:
                    break
                time.sleep(0.05)
            best = ms if best is None else min(best, ms)
        return float(best) / 1000 if best is not None else None
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="seeds,examples,duc2006")
    parser.add_argument("--reuse", action="store_true", help="use the briefs.json an earlier run kept in out/bench/")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    OUT.mkdir(parents=True, exist_ok=True)
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from storybrief import report  # noqa: PLC0415

    rows = []
    for name in args.sets.split(","):
        saved, brief_seconds = _briefed(name, args.reuse)
        start = time.perf_counter()
        document = json.loads(saved.read_text(encoding="utf-8"))
        page = report.brief_to_html(document)
        render = time.perf_counter() - start
        target = OUT / f"{name}.briefs.html"
        target.write_text(page, encoding="utf-8")
        rows.append(
            {
                "set": name,
                "articles": len(document["articles"]),
                "stories": len(document["stories"]),
                "brief_s": brief_seconds,
                "render_s": render,
                "mb": target.stat().st_size / 1e6,
                "load_s": _load_seconds(target),
            }
        )
    table = Table(title="HTML report: render from briefs.json, size, Chromium load event")
    for col in ("set", "articles", "stories", "brief s", "render s", "MB", "load s", "targets (render/MB/load)"):
        table.add_column(col, justify="left" if col == "set" else "right")
    for r in rows:
        t = TARGETS.get(str(r["set"]))
        load = "n/a (no Chromium)" if r["load_s"] is None else f"{r['load_s']:.2f}"
        table.add_row(
            str(r["set"]),
            str(r["articles"]),
            str(r["stories"]),
            f"{r['brief_s']:.1f}",
            f"{r['render_s']:.2f}",
            f"{r['mb']:.2f}",
            load,
            "≤ {} / ≤ {} / ≤ {}".format(*t) if t else "",
        )
    Console(width=140).print(table)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
