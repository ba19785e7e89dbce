"""A throwaway PostgreSQL cluster for the tests: made in a temporary folder, listening on a free
port of 127.0.0.1 (and a socket in that folder), stopped and removed at the end.

PostgreSQL refuses to run as root; the tests run as root here and in CI, so the server then
runs as the unprivileged user ``nobody`` (its folder is handed to that user). The binaries
come from Debian's ``postgresql`` package (``./run`` installs it): ``/usr/lib/postgresql/<N>/bin``,
else whatever ``initdb`` is on the PATH.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "postgres"
PASSWORD = "Township-Pass-2026"  # every test login's
UNPRIVILEGED = "nobody"


class NoPostgres(RuntimeError):
    pass


def find_bindir() -> Path:
    """The newest Debian server binaries, else those on the PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    raise NoPostgres("PostgreSQL server binaries (initdb, pg_ctl) not found; ./run installs "
                     "Debian's postgresql package")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """``with Cluster() as c: c.url(...)``: initdb, start, and stop + remove at the end."""

    def __init__(self):
        self.bindir = find_bindir()
        self.folder = Path(tempfile.mkdtemp(prefix="tongdang-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.password = "test-superuser-secret"
        self._user = None
        if os.geteuid() == 0:
            self._user = pwd.getpwnam(UNPRIVILEGED)

    # -- running the server's programs as the unprivileged user ------------------------------
    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        kwargs = {}
        if self._user is not None:
            kwargs = {"user": self._user.pw_uid, "group": self._user.pw_gid, "extra_groups": []}
        return subprocess.run([str(self.bindir / program), *args], cwd=self.folder,
                              capture_output=True, text=True, check=check,
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                                   "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}, **kwargs)

    def start(self) -> "Cluster":
        if self._user is not None:
            os.chown(self.folder, self._user.pw_uid, self._user.pw_gid)
        os.chmod(self.folder, 0o700)
        pwfile = self.folder / "pw"
        pwfile.write_text(self.password + "\n")
        if self._user is not None:
            os.chown(pwfile, self._user.pw_uid, self._user.pw_gid)
        try:
            self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=scram-sha-256",
                      f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        except subprocess.CalledProcessError as exc:
            raise NoPostgres(f"initdb failed: {exc.stderr}") from None
        pwfile.unlink()
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                   f"-c unix_socket_directories={self.folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60 "
                   "-c shared_buffers=64MB")
        result = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"),
                           "-o", options, "-w", "-t", "60", "start", check=False)
        if result.returncode != 0:
            log = (self.folder / "log").read_text(errors="replace") if (self.folder / "log").exists() else ""
            self.remove()
            raise NoPostgres(f"PostgreSQL did not start: {result.stderr}\n{log}")
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        self.remove()

    def remove(self) -> None:
        for _ in range(3):
            shutil.rmtree(self.folder, ignore_errors=True)
            if not self.folder.exists():
                return
            time.sleep(0.2)

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------------------
    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """A connection setting as a county would write it (no password in it)."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def create_database(self, name: str, template: str | None = None) -> None:
        import psycopg

        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                             password=self.password, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{copy}')

    def drop_database(self, name: str) -> None:
        """Gone, even with a connection a failed test left open."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                             password=self.password, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
