from pypinyin import Style, lazy_pinyin


def initials(name: str) -> str:
    """Lower-case pinyin initials of a Chinese name: 张海军 → zhj (letters and digits kept as is)."""
    return "".join(p[0] for p in lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default") if p).lower()
