"""Fill in deploy/nginx.conf, the portal's nginx server block template.

Production:  python3 tools/nginx_conf.py --root /srv/portal/output \\
                 --server-name ducthuan.example.gov.vn > /etc/nginx/sites-available/portal
Tests:       tests/servers.py calls render() with a loopback port and temporary paths.

Every ``@NAME@`` in the template must get a value, and every value must be
used, so a renamed placeholder fails loudly instead of leaving ``@ROOT@`` in
a configuration nginx would then reject (or worse, accept).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
# Debian's libnginx-mod-http-brotli-static; stock nginx has no Brotli module.
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
DEFAULTS = {
    "LISTEN": "80",
    "SERVER_NAME": "_",
    "ACCESS_LOG": "/var/log/nginx/portal.access.log",
    "ERROR_LOG": "/var/log/nginx/portal.error.log",
    "RATING_PATH": "/_danh-gia",
    "COMMENTS_UPSTREAM": "127.0.0.1:8710",  # services/comments (deploy/comments.service)
    "EXTRA_LOCATIONS": "",
    # "" turns `brotli_static on;` on, "# " leaves it commented out.
    "BROTLI_COMMENT": "" if BROTLI_MODULE.exists() else "# ",
}
# Values that end up inside nginx directives: no ';', braces, quotes or newlines
# (EXTRA_LOCATIONS is configuration on purpose and is exempt).
SAFE_VALUE = re.compile(r"[^;{}\"'\n\r]*")


def render(values: dict[str, str], template: str | None = None) -> str:
    """Return the template with every @NAME@ replaced by ``values`` (plus DEFAULTS)."""
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    filled = {**DEFAULTS, **values}
    wanted = set(PLACEHOLDER.findall(text))
    missing = sorted(wanted - filled.keys())
    if missing:
        raise ValueError(f"nginx_conf: no value for {', '.join('@' + m + '@' for m in missing)}")
    unused = sorted(set(values) - wanted)
    if unused:
        raise ValueError(f"nginx_conf: the template has no placeholder for {', '.join(unused)}")
    for name, value in filled.items():
        if name != "EXTRA_LOCATIONS" and not SAFE_VALUE.fullmatch(str(value)):
            raise ValueError(f"nginx_conf: unsafe characters in the value of {name}: {value!r}")
    # "# @EXTRA_LOCATIONS@" is a comment in the template; the comment sign
    # goes with the placeholder so the extra configuration is live.
    text = re.sub(r"#\s*@EXTRA_LOCATIONS@", lambda _m: str(filled["EXTRA_LOCATIONS"]), text)
    return PLACEHOLDER.sub(lambda m: str(filled[m.group(1)]), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="the built site (output/)")
    parser.add_argument("--listen", default=DEFAULTS["LISTEN"])
    parser.add_argument("--server-name", default=DEFAULTS["SERVER_NAME"])
    parser.add_argument("--access-log", default=DEFAULTS["ACCESS_LOG"])
    parser.add_argument("--error-log", default=DEFAULTS["ERROR_LOG"])
    parser.add_argument("--rating-path", default=DEFAULTS["RATING_PATH"])
    parser.add_argument("--comments-upstream", default=DEFAULTS["COMMENTS_UPSTREAM"], help="host:port of the comments service")
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    args = parser.parse_args(argv)
    values = {
        # absolute but NOT resolved: <target>/current is a symlink switched by each publish
        "ROOT": os.path.abspath(args.root), "LISTEN": args.listen, "SERVER_NAME": args.server_name,
        "ACCESS_LOG": args.access_log, "ERROR_LOG": args.error_log, "RATING_PATH": args.rating_path,
        "COMMENTS_UPSTREAM": args.comments_upstream,
    }
    sys.stdout.write(render(values, args.template.read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
