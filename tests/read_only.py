"""Making a file truly read-only for a test, also when the tests run as root (as CI does).

Root ignores permission bits, so there the file gets the immutable attribute (`chattr +i`),
which the kernel enforces for root too, as a read-only memory card or mount would.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        try:
            yield
        finally:
            path.chmod(mode)
        return
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        try:
            with path.open("r+b"):
                pass
        except OSError:
            pass
        else:
            raise AssertionError(f"chattr +i did not make {path} read-only")
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)
