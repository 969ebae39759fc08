"""`make stats`: read new access-log lines and rewrite only the statistics
outputs (the JSON data files and the body of the statistics page), without a
Pelican build.

    python -m stats.cli --settings pelicanconf.py --output output [--logs "GLOB ..."]

Reads the same settings file as the build (STATS, WARD, TIMEZONE, SITEURL,
THEME) and renders partials/stats_body.html with the theme's templates and
the same Vietnamese filters. The page around it must exist: run `make html`
once first.
"""

from __future__ import annotations

import argparse
import logging
import os
import runpy
import sys
import time
from pathlib import Path

import jinja2

from vietnamese import FILTERS

from . import render, run
from .config import merged

log = logging.getLogger("stats")


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    parser = argparse.ArgumentParser(prog="make stats", description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--logs", default=None, help="access logs (globs, separated by spaces); default: ACCESS_LOGS or STATS['ACCESS_LOGS']")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    settings_file = Path(args.settings).resolve()
    settings = runpy.run_path(str(settings_file))
    environ = dict(os.environ)
    if args.logs:
        environ["ACCESS_LOGS"] = args.logs
    try:
        config = merged(settings.get("STATS"), settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh",
                        settings.get("SITEURL", ""), environ)
    except ValueError as error:
        log.error("%s", error)
        return 2
    output = Path(args.output)
    page = output / config["PAGE_PATH"] / "index.html"
    if not page.exists():
        log.error("stats: %s không có: hãy chạy `make html` một lần trước `make stats`.", page)
        return 1

    siteurl = settings.get("SITEURL", "")
    numbers = run(config, None, int((settings.get("WARD") or {}).get("base_counter", 0)))
    try:
        written = render.write_data_files(output / config["PAGE_PATH"], render.data_files(numbers, siteurl))
    except RuntimeError as error:
        log.error("%s", error)
        return 1

    theme = Path(settings.get("THEME", "theme"))
    if not theme.is_absolute():
        theme = settings_file.parent / theme
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(theme / "templates")),
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    body = env.get_template("partials/stats_body.html").render(
        stats=render.template_values(numbers, config, siteurl), SITEURL=siteurl)
    try:
        html = render.splice(page.read_text(encoding="utf-8"), body)
    except ValueError:
        log.error("stats: %s has no statistics markers (%s … %s); run `make html`.", page, render.BEGIN, render.END)
        return 1
    temporary = page.with_name("index.html.tmp")
    temporary.write_text(html, encoding="utf-8")
    os.replace(temporary, page)
    log.info("stats: %s and %d data file(s) rewritten in %.2f s", page, written, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
