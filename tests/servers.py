"""Real servers for tests: Debian's nginx on loopback, configured from the
portal's own deploy/nginx.conf.

    base_url, access_log, stop = start_nginx(root, tmp_dir)
    ...                                     # drive requests at base_url
    stop()                                  # nginx exits, the log is complete

``start_nginx`` fills the server block template with a free 127.0.0.1 port,
``root`` and log paths under ``tmp_dir``, wraps it in a minimal main
configuration (own prefix, pid file, temp folders, error log), and runs
``nginx`` in the foreground without a master process, so it works as root and
as an ordinary user and serves files readable by the test's own user.
``extra_locations`` is nginx configuration inserted into the server block
(e.g. a ``location /api/ { proxy_pass ...; }``); ``conf`` is another
template with the same placeholders.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

from tools.nginx_conf import BROTLI_MODULE, TEMPLATE, render

NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
MAIN_CONF = """\
{load_modules}
daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {tmp}/temp/body;
    proxy_temp_path {tmp}/temp/proxy;
    fastcgi_temp_path {tmp}/temp/fastcgi;
    uwsgi_temp_path {tmp}/temp/uwsgi;
    scgi_temp_path {tmp}/temp/scgi;
    include {tmp}/server.conf;
}}
"""


class Nginx(NamedTuple):
    """Unpacks as ``base_url, access_log, stop``; ``.error_log`` too."""

    base_url: str  # http://127.0.0.1:PORT (no trailing slash)
    access_log: Path
    stop: callable  # stops nginx and waits for it; safe to call twice

    @property
    def error_log(self) -> Path:
        return self.access_log.with_name("error.log")


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """GET ``url``: (status, headers, body), error statuses included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, process: subprocess.Popen, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def start_nginx(root, tmp_dir, conf: Path | str | None = None, extra_locations: str = "",
                rating_path: str = "/_danh-gia", attempts: int = 3,
                comments_upstream: str = "127.0.0.1:8710") -> Nginx:
    """Serve ``root`` with deploy/nginx.conf on a free loopback port.

    Returns ``Nginx(base_url, access_log, stop)``, a tuple that unpacks as
    ``base_url, access_log, stop = start_nginx(...)`` (``.error_log`` too).
    """
    if not Path(NGINX).exists() and not shutil.which("nginx"):
        raise RuntimeError(f"{NGINX} is missing: run `make test` as root, or `apt-get install nginx`")
    tmp = Path(tmp_dir).resolve() / "nginx"
    for sub in ("temp", "logs"):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
    template = Path(conf or TEMPLATE).read_text(encoding="utf-8")
    access_log = tmp / "logs" / "access.log"
    error_log = tmp / "logs" / "error.log"
    # Debian's nginx.conf loads /etc/nginx/modules-enabled/; this minimal one loads Brotli itself.
    load_modules = f"load_module {BROTLI_MODULE};" if BROTLI_MODULE.exists() else ""
    (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp, load_modules=load_modules), encoding="utf-8")
    last_error = ""
    for _ in range(attempts):  # another process may take the free port first
        port = _free_port()
        server = render({
            "LISTEN": f"127.0.0.1:{port}", "SERVER_NAME": "localhost", "ROOT": os.path.abspath(root),  # not resolved: a `current` symlink stays live
            "ACCESS_LOG": str(access_log), "ERROR_LOG": str(error_log), "RATING_PATH": rating_path,
            "EXTRA_LOCATIONS": extra_locations,
            **({"COMMENTS_UPSTREAM": comments_upstream} if "@COMMENTS_UPSTREAM@" in template else {}),
        }, template)
        (tmp / "server.conf").write_text(server, encoding="utf-8")
        process = subprocess.Popen(
            [NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        if _wait_listening(port, process, time.monotonic() + 10):
            return Nginx(f"http://127.0.0.1:{port}", access_log, _stopper(process))
        if process.poll() is None:
            process.kill()
        last_error = process.communicate()[1].decode("utf-8", "replace")
    raise RuntimeError(f"nginx did not start:\n{last_error}\n{_tail(tmp / 'error.log')}")


def _stopper(process: subprocess.Popen):
    def stop() -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # graceful: finishes requests, flushes logs
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr:
            process.stderr.close()

    return stop


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
