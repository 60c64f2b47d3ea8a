import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: how typed names are compared to reference names."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("’", "'").lower().split())
