"""The share of files a spot-check (抽查) draws, as a clerk types it, and the spot-check's error.

Checked before an archive is opened (``tongdang spotcheck --sample``), so it lives with the
other checks of typed values rather than in ``models.spotcheck``.
"""

import re

_SHARE = re.compile(r"^(\d+(?:\.\d+)?)\s*(%|％)?$")


class SpotCheckError(ValueError):
    """Bad input or nothing to check; ``str()`` is the Chinese message."""


def parse_share(text: str | float) -> float:
    """"10%", "10", "0.1" → 0.1; SpotCheckError with a Chinese message otherwise."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        m = _SHARE.match(str(text).strip())
        if not m:
            raise SpotCheckError(f"抽查比例“{text}”无法识别，请写成百分数，如“10%”。")
        value = float(m.group(1))
        if m.group(2) or value > 1:
            value /= 100
    if not 0 < value <= 1:
        raise SpotCheckError("抽查比例应大于0%、不超过100%。")
    return value
