"""Entry point of the bundled program (PyInstaller): the same as the `tongdang` command."""

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
