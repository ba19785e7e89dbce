"""Pinyin search keys for names (zs → 张三, zhangsan → 张三)."""

def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials), lower case without spaces."""
    from pypinyin import Style, lazy_pinyin  # 0.3 s to import: only when a name is written

    syllables = lazy_pinyin(name or "", style=Style.NORMAL, errors="ignore")
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    return full, initials
