"""Programs out of model answers: fenced code blocks, their language, prose rejected.

An answer may hold several blocks: the examples again, a first attempt, a helper snippet, the
final program. The chosen block is the last one that looks like a whole program, preferring the
requested language. A block's language comes from its fence tag, corrected by what the code
says (a ```c block that uses iostream is C++), or from the code alone when untagged.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    OK = "ok"
    EMPTY = "empty answer"
    NO_CODE = "no code"  # prose only, or blocks that are not programs in a judged language
    INCOMPLETE = "no complete program"  # code, but only fragments (no main, no I/O)
    TRUNCATED = "truncated"  # the answer hit max_tokens inside the program


@dataclass(frozen=True)
class Extraction:
    outcome: Outcome
    source: str | None = None
    language: str | None = None  # a judge language id: c, cpp, python3, java

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK


@dataclass(frozen=True)
class Block:
    tag: str  # the fence's first word, lowercased ("" when untagged)
    code: str
    closed: bool


FENCE_TAGS = {
    "cpp": "cpp",
    "c++": "cpp",
    "cc": "cpp",
    "cxx": "cpp",
    "hpp": "cpp",
    "c": "c",
    "h": "c",
    "python": "python3",
    "python3": "python3",
    "py": "python3",
    "py3": "python3",
    "java": "java",
}

# Tags under which a block may still be code (detected from its content).
GENERIC_TAGS = frozenset({"", "text", "txt", "plaintext", "plain", "code", "none"})

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$")
_THINK = re.compile(r"<think>.*?(</think>|\Z)", re.DOTALL)
_JAVA_MAIN = re.compile(r"\bstatic\s+(?:final\s+)?void\s+main\s*\(")
_C_MAIN = re.compile(r"\bmain\s*\([^)]*\)\s*\{")
_INCLUDE = re.compile(r"^\s*#\s*include\b", re.MULTILINE)
_CPP_MARKERS = re.compile(
    r"\bstd::|\busing\s+namespace\b|#\s*include\s*<(?:bits/stdc\+\+\.h|iostream|vector|string|"
    r"algorithm|map|set|queue|bits/)|\bcin\s*>>|\bcout\s*<<|\btemplate\s*<|\bclass\s+\w+\s*[{:]|"
    r"\bauto\s+\w|\bnullptr\b|\bvector\s*<"
)
_PY_IO = re.compile(r"\b(?:print|input|sys\.stdin|sys\.stdout|stdin|stdout|open\s*\(\s*0)\b")


def fenced_blocks(text: str) -> list[Block]:
    """Every fenced block, in order; a block left open at the end runs to the end."""
    lines = text.split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        opened = _OPEN.match(lines[i])
        if not opened:
            i += 1
            continue
        fence, indent = opened["fence"], len(opened["indent"].expandtabs())
        info = opened["info"].strip().strip("{}").lstrip(".")
        tag = info.split()[0].lower() if info.split() else ""
        body: list[str] = []
        i += 1
        closed = False
        while i < len(lines):
            line = lines[i]
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                closed = True
                i += 1
                break
            # Blocks nested in list items are indented; take the indentation back off.
            prefix = len(line) - len(line.lstrip(" "))
            body.append(line[min(indent, prefix) :])
            i += 1
        blocks.append(Block(tag, "\n".join(body), closed))
    return blocks


def _python_program(code: str) -> bool:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    # A lone name or constant parses too ("Sorry"); a program does some I/O.
    return bool(tree.body) and bool(_PY_IO.search(code))


def detect_language(code: str, tag: str = "", prefer: str | None = None) -> str | None:
    """A judge language id for `code`, from its fence tag as corrected by the code itself.

    Blocks tagged with another language (rust, bash, json...) are not candidates; untagged C
    that would compile as either is called `prefer` if that is C, else C++.
    """
    hinted = FENCE_TAGS.get(tag)
    if hinted is None and tag not in GENERIC_TAGS:
        return None
    if _JAVA_MAIN.search(code) and re.search(r"\bclass\s+\w+", code):
        return "java"
    if _INCLUDE.search(code) or _C_MAIN.search(code):
        if _CPP_MARKERS.search(code):
            return "cpp"
        return "c" if hinted == "c" or (hinted is None and prefer == "c") else "cpp"
    if hinted is not None:
        return hinted
    return "python3" if _python_program(code) else None


def is_complete(code: str, language: str) -> bool:
    """Does the code look like a whole program (not a fragment) in its language?"""
    if language in ("c", "cpp"):
        return bool(_C_MAIN.search(code))
    if language == "java":
        return bool(_JAVA_MAIN.search(code))
    return _python_program(code)


def _tidy(code: str) -> str:
    lines = [line.rstrip() for line in code.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def extract_program(
    text: str, language: str, *, opened: bool = False, truncated: bool = False
) -> Extraction:
    """The program in an answer, preferring `language`.

    `opened`: the prompt ended inside an open fence (plain completions), so the answer starts
    with code. `truncated`: the answer stopped at max_tokens; a block left open is then cut off.
    """
    text = _THINK.sub("", text.replace("\r\n", "\n"))  # reasoning drafts are not the answer
    if opened:
        text = f"```{language}\n{text}"
    if not text.strip():
        return Extraction(Outcome.EMPTY)
    blocks = fenced_blocks(text)
    if not blocks:
        # No fences: accept the whole answer only if it is itself a program.
        found = detect_language(text, "", language)
        if found and is_complete(text, found):
            if truncated:
                return Extraction(Outcome.TRUNCATED)
            return Extraction(Outcome.OK, _tidy(text), found)
        return Extraction(Outcome.NO_CODE)
    typed = [(block, detect_language(block.code, block.tag, language)) for block in blocks]
    code_blocks = [(b, lang) for b, lang in typed if lang is not None and b.code.strip()]
    cut_off = truncated and not blocks[-1].closed
    if cut_off:  # the open block at the end was cut by max_tokens: never a candidate
        code_blocks = [(b, lang) for b, lang in code_blocks if b.closed]
    complete = [(b, lang) for b, lang in code_blocks if is_complete(b.code, lang)]
    if not complete:
        if cut_off:
            return Extraction(Outcome.TRUNCATED)
        return Extraction(Outcome.INCOMPLETE if code_blocks else Outcome.NO_CODE)
    preferred = [(b, lang) for b, lang in complete if lang == language] or complete
    block, found = preferred[-1]
    return Extraction(Outcome.OK, _tidy(block.code), found)
