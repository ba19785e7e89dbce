"""The program's version, one place for the package metadata, `--version` and the bundle."""

VERSION = "0.1.0"
