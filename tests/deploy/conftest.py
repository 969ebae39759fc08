"""Fixtures for `make publish` tests: a copy of the demo content, a real
nginx serving <target>/current with the shipped configuration, and a real
OpenSSH server on loopback with its own configuration and keys."""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from helpers import ROOT
from publishing import CONFERENCE_SOURCE
from servers import _free_port, _wait_listening, start_nginx

SSHD = "/usr/sbin/sshd"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.nginx)


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the demo content that a test may change."""
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    assert (copy / CONFERENCE_SOURCE).is_file()
    return copy




@pytest.fixture
def served(tmp_path):
    """(target folder, nginx) with nginx serving <target>/current."""
    target = tmp_path / "srv" / "portal"
    target.mkdir(parents=True)
    server = start_nginx(target / "current", tmp_path)
    yield target, server
    server.stop()










@pytest.fixture
def sshd(tmp_path):
    """A real OpenSSH server on a loopback port accepting a key made here.
    Yields (user@127.0.0.1, ssh command for DEPLOY_SSH)."""
    if not Path(SSHD).exists():
        pytest.fail(f"{SSHD} is missing: run `make test` as root, or `apt-get install openssh-server`")
    folder = tmp_path / "ssh"
    folder.mkdir(mode=0o700)
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "publish-test", "-f", str(folder / name)],
                       check=True)
    authorized = folder / "authorized_keys"
    authorized.write_text((folder / "client_key.pub").read_text())
    authorized.chmod(0o600)
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation folder
    port = _free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder}/host_key\nPidFile {folder}/sshd.pid\n"
        f"AuthorizedKeysFile {authorized}\nPubkeyAuthentication yes\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n"
        "LogLevel ERROR\n"
    )
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if not _wait_listening(port, process, time.monotonic() + 10):
        process.kill()
        pytest.fail(f"sshd did not start: {process.communicate()[1].decode(errors='replace')}")
    ssh = (f"ssh -p {port} -i {folder}/client_key -o IdentitiesOnly=yes -o BatchMode=yes "
           f"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR")
    host = f"{getpass.getuser()}@127.0.0.1"
    probe = subprocess.run([*ssh.split(), host, "echo ok"], capture_output=True, text=True, timeout=30, check=False)
    assert probe.stdout.strip() == "ok", probe.stderr
    yield host, ssh
    process.terminate()
    process.wait(timeout=10)
