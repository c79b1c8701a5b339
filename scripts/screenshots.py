"""Screenshots of the seeds' HTML report at desktop and phone sizes (``make screenshots``).

    python scripts/screenshots.py [--out out/screenshots] [--input ../shared/seeds]

Briefs the input, renders briefs.html and saves one full-width screenshot of the
top of the page and one of the first story's facts per size, using the system's
Chromium (/usr/bin/chromium, /usr/bin/chromedriver).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "screenshots")
    parser.add_argument("--input", type=Path, default=ROOT.parent / "shared" / "seeds")
    args = parser.parse_args()
    if not Path("/usr/bin/chromium").is_file() or not Path("/usr/bin/chromedriver").is_file():
        sys.exit("no browser: run `make browser` (Debian's chromium and chromium-driver)")
    if not args.input.exists():
        sys.exit(f"{args.input}: not found")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from selenium import webdriver  # noqa: PLC0415
    from selenium.webdriver.chrome.options import Options  # noqa: PLC0415
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415
    from selenium.webdriver.common.by import By  # noqa: PLC0415
    from typer.testing import CliRunner  # noqa: PLC0415

    from storybrief.cli import app  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        result = CliRunner().invoke(app, ["brief", str(args.input), "-o", tmp, "--quiet"])
        if result.exit_code:
            sys.exit(result.output)
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        args.out.mkdir(parents=True, exist_ok=True)
        try:
            for name, (width, height) in SIZES.items():
                driver.set_window_size(width, height)
                driver.get((Path(tmp) / "briefs.html").as_uri())
                driver.save_screenshot(str(args.out / f"seeds-{name}.png"))
                facts = driver.find_element(By.CSS_SELECTOR, "#story-1 table.facts")
                driver.execute_script("arguments[0].scrollIntoView()", facts)
                driver.save_screenshot(str(args.out / f"seeds-{name}-facts.png"))
                cite = driver.find_element(By.CSS_SELECTOR, "#story-1 a.cite")
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cite)
                cite.click()
                driver.save_screenshot(str(args.out / f"seeds-{name}-citation.png"))
        finally:
            driver.quit()
    for path in sorted(args.out.glob("seeds-*.png")):
        print(path)


if __name__ == "__main__":
    main()
