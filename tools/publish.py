"""Build, check, compress and deploy the portal atomically; roll back.

    python3 tools/publish.py publish --target /srv/portal          (make publish)
    python3 tools/publish.py publish --target deploy@host:/srv/portal
    python3 tools/publish.py rollback --target /srv/portal         (make rollback)
    python3 tools/publish.py check output/                         (checks only)

``publish`` builds with ``publishconf.py`` in strict mode into a fresh
temporary folder, runs the checks (:data:`CHECKS`), writes ``.gz`` and ``.br``
copies beside each text file, then deploys under the target::

    <target>/releases/<UTC timestamp>/   one folder per release (last 5 kept)
    <target>/current -> releases/<…>     what nginx serves

The new release is uploaded with rsync into ``releases/<name>.partial/``
(unchanged files hard-linked from the release ``current`` points to), renamed
to ``releases/<name>/``, and ``current`` is switched in one rename of a new
symlink over the old one. A failed build or check uploads nothing; an
interrupted upload leaves ``current`` as it was. A target ``user@host:path``
runs the same shell steps over ssh (``DEPLOY_SSH`` sets the ssh command).

The decisions (release names, what to prune, which release to roll back to,
what the checks find) are pure functions; ``main`` is the thin CLI.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    # Releases kept under <target>/releases/ (the current one always is).
    "KEEP_RELEASES": 5,
    # Path prefixes the theme's own scripts (and pinned npm packages copied
    # under /vendor/) are served from; any other
    # <script src> is refused.
    "SCRIPT_PREFIXES": ["/theme/", "/pagefind/", "/vendor/"],
    # Paths nginx answers itself or proxies: links to them need no file.
    "DYNAMIC_PATHS": ["/_danh-gia", "/api/"],
    # Files written with .gz and .br copies beside them.
    "COMPRESS_EXTENSIONS": [".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg"],
}
RELEASE = re.compile(r"^\d{8}T\d{6}Z(?:-\d+)?$")


def publish_settings(settings: dict) -> dict:
    """PUBLISH from the Pelican settings merged with DEFAULTS, checked."""
    merged = {**DEFAULTS, **settings.get("PUBLISH", {})}
    unknown = set(merged) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"publish: unknown keys in PUBLISH: {sorted(unknown)}")
    if not isinstance(merged["KEEP_RELEASES"], int) or merged["KEEP_RELEASES"] < 2:
        raise ValueError("publish: PUBLISH['KEEP_RELEASES'] must be an integer of 2 or more (rollback needs one)")
    for key in ("SCRIPT_PREFIXES", "DYNAMIC_PATHS"):
        if not all(isinstance(p, str) and p.startswith("/") for p in merged[key]):
            raise ValueError(f"publish: PUBLISH[{key!r}] must be a list of paths starting with /")
    if not all(isinstance(e, str) and e.startswith(".") for e in merged["COMPRESS_EXTENSIONS"]):
        raise ValueError("publish: PUBLISH['COMPRESS_EXTENSIONS'] must be a list like ['.html', '.css']")
    return merged


# --- Releases: pure decisions ---------------------------------------------------

def release_name(now: dt.datetime, existing: list[str]) -> str:
    """A name that sorts after every existing release: the UTC time, with a
    counter when two publishes fall in the same second (or the clock went back)."""
    base = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    latest = max((name for name in existing if RELEASE.match(name)), key=release_key, default=None)
    if latest is not None and release_key(latest) >= release_key(base):
        stamp, _, counter = latest.partition("-")
        return f"{stamp}-{int(counter or 1) + 1}"
    return base


def release_key(name: str) -> tuple[str, int]:
    stamp, _, counter = name.partition("-")
    return stamp, int(counter or 0)


def sorted_releases(names: list[str]) -> list[str]:
    return sorted((n for n in names if RELEASE.match(n)), key=release_key)


def releases_to_prune(names: list[str], keep: int, current: str | None) -> list[str]:
    """The releases to delete so that the newest ``keep`` remain, never the
    one ``current`` points to."""
    ordered = sorted_releases(names)
    old = ordered[: max(0, len(ordered) - keep)]
    return [name for name in old if name != current]


def rollback_release(names: list[str], current: str | None) -> str | None:
    """The release before ``current`` (None when there is none)."""
    ordered = sorted_releases(names)
    if current not in ordered:
        return ordered[-1] if ordered else None
    index = ordered.index(current)
    return ordered[index - 1] if index > 0 else None


@dataclasses.dataclass(frozen=True)
class Target:
    """Where releases go: a local folder, or ``host:path`` over ssh."""

    path: str
    host: str | None = None

    @classmethod
    def parse(cls, text: str) -> Target:
        """``/srv/portal`` or ``user@host:/srv/portal`` (rsync's syntax: a
        colon before any slash means a remote host)."""
        if not text:
            raise ValueError("publish: chưa đặt DEPLOY_TARGET — ghi thư mục đích hoặc user@host:/thư-mục, ví dụ `make publish DEPLOY_TARGET=/srv/portal`")
        head, colon, tail = text.partition(":")
        if colon and "/" not in head and head:
            if not tail:
                raise ValueError(f"publish: DEPLOY_TARGET «{text}» thiếu thư mục sau dấu hai chấm (user@host:/srv/portal)")
            return cls(tail, head)
        return cls(os.path.abspath(text))

    def rsync_destination(self, relative: str) -> str:
        folder = f"{self.path.rstrip('/')}/{relative}/"
        return f"{self.host}:{folder}" if self.host else folder


# --- Shell steps, run locally or over ssh -------------------------------------------

# $1 = target folder. Prints the releases, a separator, then current's release.
LIST_SCRIPT = r"""
set -eu
mkdir -p "$1/releases"
cd "$1/releases"
for partial in *.partial; do [ -e "$partial" ] && rm -rf -- "$partial"; done
ls -1A
echo "--"
if [ -L "$1/current" ]; then basename "$(readlink "$1/current")"; fi
"""

# $1 = target, $2 = release to activate, $3 = "new" to rename $2.partial first,
# then the releases to delete. The switch is one rename(2) of a fresh symlink.
ACTIVATE_SCRIPT = r"""
set -eu
cd "$1"
release=$2; mode=$3; shift 3
if [ "$mode" = new ]; then mv -T -- "releases/$release.partial" "releases/$release"; fi
[ -d "releases/$release" ]
tmp=".current.$$"
ln -s -- "releases/$release" "$tmp"
mv -T -- "$tmp" current
for old in "$@"; do rm -rf -- "releases/$old"; done
"""


class Remote:
    """Runs the shell steps against a target (locally, or over ssh)."""

    def __init__(self, target: Target, ssh: list[str]):
        self.target, self.ssh = target, ssh

    def sh(self, script: str, *args: str) -> str:
        if self.target.host:
            command = " ".join(shlex.quote(a) for a in ["sh", "-c", script, "publish", *args])
            argv = [*self.ssh, self.target.host, command]
        else:
            argv = ["sh", "-c", script, "publish", *args]
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise DeployError(f"publish: lệnh trên máy đích thất bại ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def state(self) -> tuple[list[str], str | None]:
        """(release folders, the release current points to or None)."""
        listing, _, current = self.sh(LIST_SCRIPT, self.target.path).partition("--\n")
        return listing.split(), (current.strip() or None)

    def upload(self, source: Path, name: str, link_dest: str | None, extra: list[str]) -> None:
        argv = ["rsync", "-rlpD", "--checksum", "--delete", "--chmod=D755,F644", *extra]
        if link_dest:
            argv.append(f"--link-dest=../{link_dest}")
        if self.target.host:
            argv += ["-e", shlex.join(self.ssh)]
        argv += [f"{source}/", self.target.rsync_destination(f"releases/{name}.partial")]
        if subprocess.run(argv, check=False).returncode != 0:
            raise DeployError("publish: tải lên bị gián đoạn; trang đang chạy không thay đổi")

    def activate(self, name: str, new: bool, prune: list[str]) -> None:
        self.sh(ACTIVATE_SCRIPT, self.target.path, name, "new" if new else "old", *prune)


class DeployError(RuntimeError):
    pass


def deploy(output: Path, remote: Remote, keep: int, now: dt.datetime, rsync_extra: list[str] = ()) -> str:
    """Upload ``output`` as a new release and switch ``current`` to it."""
    names, current = remote.state()
    name = release_name(now, names)
    releases = sorted_releases(names)
    link_dest = current if current in releases else (releases[-1] if releases else None)
    remote.upload(output, name, link_dest, list(rsync_extra))
    prune = releases_to_prune([*names, name], keep, name)
    remote.activate(name, True, prune)
    return name


def rollback(remote: Remote) -> str:
    names, current = remote.state()
    previous = rollback_release(names, current)
    if previous is None:
        raise DeployError("publish: không có bản phát hành nào trước bản hiện tại để quay lại")
    remote.activate(previous, False, [])
    return previous


# --- Checks of the built site ---------------------------------------------------

URL_ATTRIBUTES = ("href", "src", "poster", "data", "action", "formaction", "xlink:href", "background")
SKIP_SCHEMES = ("mailto:", "tel:", "data:", "#")
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "object", "embed", "style", "base"}


def html_files(output: Path) -> Iterator[Path]:
    yield from sorted(output.rglob("*.html"))


def parse_pages(output: Path) -> list[tuple[Path, object]]:
    """(page, lxml element tree) for every HTML file, parsed once for all checks."""
    import lxml.html  # noqa: PLC0415 (only the checks parse HTML)

    return [(page, lxml.html.document_fromstring(page.read_bytes())) for page in html_files(output)]


def elements(tree) -> Iterator:
    return (element for element in tree.iter() if isinstance(element.tag, str))


def page_url(output: Path, page: Path) -> str:
    """The root-relative URL a page is served at (``a/index.html`` → ``/a/``)."""
    relative = page.relative_to(output).as_posix()
    return "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def internal_path(url: str, base: str, site: str) -> str | None:
    """The root-relative path ``url`` (found on the page at ``base``) points
    to, or None when it is external or not a file reference."""
    url = url.strip()
    if not url or url.lower().startswith(SKIP_SCHEMES) or url.lower().startswith(("javascript:", "vbscript:")):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        site_parts = urlsplit(site)
        if parts.scheme not in ("http", "https", "") or parts.netloc != site_parts.netloc or not site_parts.netloc:
            return None
        path = parts.path or "/"
        prefix = site_parts.path.rstrip("/")
        if prefix and path.startswith(prefix):
            path = path[len(prefix):] or "/"
        return unquote(path)
    return unquote(urlsplit(urljoin(base, url)).path)


def resolves(output: Path, path: str) -> bool:
    """True when nginx would answer ``path`` with a file of the site."""
    target = output / path.lstrip("/")
    try:
        target.resolve().relative_to(output.resolve())
    except ValueError:
        return False
    if path.endswith("/"):
        return (target / "index.html").is_file()
    return target.is_file() or (target / "index.html").is_file()


def _srcset_urls(value: str) -> list[str]:
    return [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]


def check_links(output: Path, site: str, dynamic: list[str], pages=None) -> list[str]:
    """Every internal link, image, script, stylesheet and CSS url() that
    does not resolve to a file of the built site."""
    problems = []
    for page, tree in pages if pages is not None else parse_pages(output):
        base = page_url(output, page)
        for element in elements(tree):
            urls = [element.get(a) for a in URL_ATTRIBUTES if element.get(a) and element.tag != "form"]
            for attribute in ("srcset", "imagesrcset"):
                if element.get(attribute):
                    urls += _srcset_urls(element.get(attribute))
            if element.tag == "meta" and (element.get("property") or "").startswith("og:") \
                    and site and (element.get("content") or "").startswith(site):
                urls.append(element.get("content"))
            for url in urls:
                path = internal_path(url, base, site)
                if path is None or path.startswith(tuple(dynamic)):
                    continue
                if not resolves(output, path):
                    problems.append(f"{page.relative_to(output)}: liên kết hỏng <{element.tag}> «{url}»")
    for sheet in sorted(output.rglob("*.css")):
        base = "/" + sheet.relative_to(output).as_posix()
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", sheet.read_text(encoding="utf-8", errors="replace")):
            path = internal_path(url, base, site)
            if path is not None and not resolves(output, path):
                problems.append(f"{sheet.relative_to(output)}: url() hỏng «{url}»")
    return problems


def check_active_content(output: Path, site: str, script_prefixes: list[str], pages=None) -> list[str]:
    """Scripts, frames, embedded objects, inline event handlers, inline
    styles and ``javascript:`` URLs that the theme did not put there: only
    ``<script src>`` under ``script_prefixes`` and JSON data blocks pass."""
    problems = []
    for page, tree in pages if pages is not None else parse_pages(output):
        base = page_url(output, page)
        where = page.relative_to(output)
        for element in elements(tree):
            tag = element.tag
            if tag == "script":
                kind = (element.get("type") or "").strip().lower()
                src = element.get("src")
                if not src:
                    if kind not in DATA_SCRIPT_TYPES:
                        problems.append(f"{where}: mã <script> viết thẳng trong trang (chỉ được dùng tệp .js của giao diện)")
                else:
                    path = internal_path(src, base, site)
                    if path is None or not path.startswith(tuple(script_prefixes)):
                        problems.append(f"{where}: <script src=«{src}»> không thuộc giao diện của trang")
            elif tag in FORBIDDEN_ELEMENTS:
                problems.append(f"{where}: thẻ <{tag}> không được phép trong trang")
            for attribute, value in element.attrib.items():
                if attribute.startswith("on"):
                    problems.append(f"{where}: thuộc tính sự kiện {attribute}=… trên <{tag}>")
                elif attribute == "style":
                    problems.append(f"{where}: thuộc tính style=… trên <{tag}> (bị chính sách bảo mật chặn)")
                elif attribute in URL_ATTRIBUTES and "".join(c for c in value if c > " ").lower().startswith(("javascript:", "vbscript:")):
                    problems.append(f"{where}: liên kết javascript: trên <{tag}>")
    return problems


@dataclasses.dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Path, str, dict, list], list[str]]


CHECKS = (
    Check("liên kết, ảnh và tệp nội bộ",
          lambda out, site, cfg, pages: check_links(out, site, cfg["DYNAMIC_PATHS"], pages)),
    Check("mã chạy trong trang",
          lambda out, site, cfg, pages: check_active_content(out, site, cfg["SCRIPT_PREFIXES"], pages)),
)


def run_checks(output: Path, site: str, config: dict) -> list[str]:
    pages = parse_pages(output)
    problems = []
    for check in CHECKS:
        found = check.run(output, site, config, pages)
        print(f"publish: kiểm tra {check.name}: {len(found)} lỗi", file=sys.stderr)
        problems += found
    return problems


# --- Precompression ---------------------------------------------------------------

def compressible(output: Path, extensions: list[str]) -> list[Path]:
    return sorted(p for p in output.rglob("*") if p.is_file() and p.suffix.lower() in extensions)


def compress_file(path: Path) -> None:
    """Write ``path.gz`` and ``path.br`` beside ``path``, byte-for-byte
    reproducible (no name or time in the gzip header)."""
    import brotli  # noqa: PLC0415 (pinned in requirements.txt)

    data = path.read_bytes()
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11))


# --- Build -------------------------------------------------------------------------

def load_settings(conf: Path) -> dict:
    from pelican.settings import read_settings  # noqa: PLC0415

    return read_settings(str(conf))


def build(content: Path, output: Path, conf: Path, cache: Path | None = None) -> bool:
    """Strict build of ``content`` into ``output``; True when it succeeded.
    ``cache`` (default: the settings' CACHE_PATH, shared with the images
    plugin's derivatives, which are keyed by content hash) may be fresh."""
    argv = [sys.executable, str(ROOT / "tools" / "run_pelican.py"), str(content), "-o", str(output), "-s", str(conf),
            "-e", "STRICT_BUILD=true", "--log-handler", "plain"]
    if cache is not None:
        argv[-2:-2] = [f"CACHE_PATH={json.dumps(str(cache))}"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(argv, cwd=ROOT, env=env, check=False).returncode == 0


def compress_tree(output: Path, extensions: list[str]) -> int:
    files = compressible(output, extensions)
    for path in files:
        compress_file(path)
    return len(files)


def build_checked(content: Path, conf: Path, workdir: Path, cache: Path | None = None) -> Path | None:
    """Build, check and compress into ``workdir``; the output folder, or None
    after printing why nothing may be deployed."""
    settings = load_settings(conf)
    config = publish_settings(settings)
    output = workdir / "output"
    if not build(content, output, conf, cache):
        print("publish: bản dựng có lỗi (xem ở trên); không tải gì lên.", file=sys.stderr)
        return None
    problems = run_checks(output, settings.get("SITEURL", ""), config)
    if problems:
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        print(f"publish: {len(problems)} lỗi kiểm tra; không tải gì lên.", file=sys.stderr)
        return None
    compress_tree(output, config["COMPRESS_EXTENSIONS"])
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("publish", "rollback"):
        command = sub.add_parser(name)
        command.add_argument("--target", default=os.environ.get("DEPLOY_TARGET", ""),
                             help="a folder or user@host:/folder (default: $DEPLOY_TARGET)")
        command.add_argument("--ssh", default=os.environ.get("DEPLOY_SSH", "ssh"),
                             help="ssh command for a remote target (default: $DEPLOY_SSH or ssh)")
        command.add_argument("--conf", type=Path, default=ROOT / "publishconf.py")
    sub.choices["publish"].add_argument("--input", type=Path, default=ROOT / "content")
    sub.choices["publish"].add_argument("--rsync-option", action="append", default=[],
                                        help="extra rsync option, e.g. --bwlimit=100 (repeatable)")
    check = sub.add_parser("check", help="run the checks on a built site")
    check.add_argument("output", type=Path)
    check.add_argument("--conf", type=Path, default=ROOT / "publishconf.py")
    args = parser.parse_args(argv)

    if args.command == "check":
        settings = load_settings(args.conf)
        return 1 if run_checks(args.output, settings.get("SITEURL", ""), publish_settings(settings)) else 0
    try:
        target = Target.parse(args.target)
        remote = Remote(target, shlex.split(args.ssh))
        if args.command == "rollback":
            print(f"publish: current → releases/{rollback(remote)}")
            return 0
        keep = publish_settings(load_settings(args.conf))["KEEP_RELEASES"]
        with tempfile.TemporaryDirectory(prefix="publish-") as workdir:
            output = build_checked(args.input.resolve(), args.conf.resolve(), Path(workdir))
            if output is None:
                return 1
            name = deploy(output, remote, keep, dt.datetime.now(dt.UTC), args.rsync_option)
        print(f"publish: đã phát hành releases/{name} tới {args.target}")
        return 0
    except (ValueError, DeployError) as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
