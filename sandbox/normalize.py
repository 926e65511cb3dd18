"""Sources that differ only in comments and blank space are one program: compiled and run once.

The normalised text is used only as a cache key; what compiles and runs is the original source.
"""

from __future__ import annotations

import io
import tokenize

_C_LIKE = {"c", "cpp", "java"}


def _strip_c_comments(text: str) -> str:
    """Removes // and /* */ comments outside string and character literals."""
    out: list[str] = []
    i, n = 0, len(text)
    quote = ""
    while i < n:
        ch = text[i]
        if quote:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == quote or ch == "\n":
                quote = ""
            i += 1
            continue
        if ch in "\"'":
            quote = ch
            out.append(ch)
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            out.append(" ")
            i = n if end < 0 else end + 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _strip_python_comments(text: str) -> str:
    try:
        tokens = [
            token
            for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type != tokenize.COMMENT
        ]
        return tokenize.untokenize(tokens)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return text  # not valid Python: keep it as it is, the compiler will say why


def normalized_source(source: bytes, language_id: str) -> bytes:
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError:
        return source
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if language_id in _C_LIKE:
        text = _strip_c_comments(text)
    elif language_id == "python3":
        text = _strip_python_comments(text)
    lines = (line.rstrip() for line in text.split("\n"))
    if language_id in _C_LIKE:
        lines = (line.strip() for line in lines)  # indentation means nothing there
    return "\n".join(line for line in lines if line).encode()
