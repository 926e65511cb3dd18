"""Code extraction from model answers: fences, the language, the right block, prose rejected."""

from __future__ import annotations

import pytest

from solver.extract import Outcome, detect_language, extract_program, fenced_blocks

CPP = '#include <bits/stdc++.h>\nusing namespace std;\nint main() {\n    int a, b;\n    cin >> a >> b;\n    cout << a + b << "\\n";\n}\n'
C = '#include <stdio.h>\nint main(void) {\n    int a, b;\n    scanf("%d %d", &a, &b);\n    printf("%d\\n", a + b);\n    return 0;\n}\n'
PY = "a, b = map(int, input().split())\nprint(a + b)\n"
JAVA = "import java.util.*;\npublic class Main {\n    public static void main(String[] args) {\n        Scanner s = new Scanner(System.in);\n        System.out.println(s.nextInt() + s.nextInt());\n    }\n}\n"


def fence(code: str, tag: str = "") -> str:
    return f"```{tag}\n{code}```\n"


@pytest.mark.parametrize(
    ("tag", "code", "language"),
    [
        ("cpp", CPP, "cpp"),
        ("c++", CPP, "cpp"),
        ("python", PY, "python3"),
        ("py", PY, "python3"),
        ("java", JAVA, "java"),
        ("c", C, "c"),
    ],
)
def test_a_tagged_block_is_extracted_with_its_language(tag: str, code: str, language: str) -> None:
    answer = f"Here is my solution.\n\n{fence(code, tag)}\nIt runs in O(1)."
    result = extract_program(answer, "cpp")
    assert result.outcome is Outcome.OK
    assert result.source == code
    assert result.language == language


@pytest.mark.parametrize(
    ("code", "language"), [(CPP, "cpp"), (PY, "python3"), (JAVA, "java"), (C, "c")]
)
def test_an_untagged_block_has_its_language_detected(code: str, language: str) -> None:
    wanted = "c" if language == "c" else "cpp"
    result = extract_program("Solution:\n" + fence(code), wanted)
    assert result.ok and result.language == language and result.source == code


def test_untagged_plain_c_is_cpp_unless_c_was_asked_for() -> None:
    assert extract_program(fence(C), "cpp").language == "cpp"
    assert extract_program(fence(C), "c").language == "c"


def test_the_code_corrects_a_wrong_tag() -> None:
    # A ```c block that uses iostream is C++; a ```cpp block with a Java main is Java.
    assert extract_program(fence(CPP, "c"), "c").language == "cpp"
    assert extract_program(fence(JAVA, "cpp"), "cpp").language == "java"


def test_of_several_blocks_the_program_is_chosen_not_the_examples_or_a_fragment() -> None:
    answer = (
        "For the sample\n```\n1 2\n```\nthe output is\n```text\n3\n```\n"
        "The solution:\n" + fence(CPP, "cpp") + "\nThe key step is:\n"
        "```cpp\ncout << a + b;\n```\n"
    )
    result = extract_program(answer, "cpp")
    assert result.ok and result.source == CPP


def test_of_several_programs_the_last_in_the_requested_language_wins() -> None:
    first = CPP.replace("a + b", "a - b")
    answer = (
        "A first try:\n"
        + fence(first, "cpp")
        + "Oops, fixed:\n"
        + fence(CPP, "cpp")
        + "Or in Python:\n"
        + fence(PY, "python")
    )
    assert extract_program(answer, "cpp").source == CPP
    assert extract_program(answer, "python3").source == PY


def test_another_language_is_taken_when_the_requested_one_is_absent() -> None:
    result = extract_program(fence(PY, "python"), "cpp")
    assert result.ok and result.language == "python3"


@pytest.mark.parametrize(
    "answer",
    [
        "I think the answer is to add the two numbers and print the result.",
        "Sorry, I cannot help with that.",
        "Sorry",
        "The output for the sample is:\n```\n3\n```\n",
        '```rust\nfn main() { println!("3"); }\n```\n',
        "```bash\ng++ -O2 main.cpp && ./a.out\n```\n",
    ],
)
def test_prose_and_non_programs_are_rejected(answer: str) -> None:
    result = extract_program(answer, "cpp")
    assert not result.ok and result.source is None
    assert result.outcome in (Outcome.NO_CODE, Outcome.INCOMPLETE)


def test_fragments_without_main_are_incomplete() -> None:
    result = extract_program("```cpp\nint add(int a, int b) { return a + b; }\n```", "cpp")
    assert result.outcome is Outcome.INCOMPLETE


def test_empty_answers() -> None:
    assert extract_program("", "cpp").outcome is Outcome.EMPTY
    assert extract_program("  \n", "python3").outcome is Outcome.EMPTY


def test_a_bare_program_without_fences_is_accepted() -> None:
    assert extract_program(PY, "python3").source == PY
    assert extract_program(CPP, "cpp").language == "cpp"


def test_a_block_cut_off_by_max_tokens_is_rejected_but_an_earlier_whole_one_is_kept() -> None:
    cut = "Solution:\n```cpp\n" + CPP[:60]
    assert extract_program(cut, "cpp", truncated=True).outcome is Outcome.TRUNCATED
    # An unclosed block that is not truncated (the model forgot the fence) is fine.
    assert extract_program("```cpp\n" + CPP, "cpp").source == CPP
    kept = fence(CPP, "cpp") + "A faster version:\n```cpp\n#include <cstdio>\nint main() {"
    assert extract_program(kept, "cpp", truncated=True).source == CPP


def test_plain_completions_start_inside_the_fence() -> None:
    result = extract_program(PY + "```\nExplanation follows", "python3", opened=True)
    assert result.ok and result.source == PY and result.language == "python3"
    assert extract_program(CPP, "cpp", opened=True).source == CPP


def test_reasoning_drafts_are_ignored() -> None:
    draft = CPP.replace("a + b", "a * b")
    answer = f"<think>\nMaybe:\n{fence(draft, 'cpp')}no, add.\n</think>\n{fence(CPP, 'cpp')}"
    assert extract_program(answer, "cpp").source == CPP


def test_indented_fences_in_list_items_are_dedented() -> None:
    answer = (
        "1. Code:\n   ```python\n   a, b = map(int, input().split())\n   print(a + b)\n   ```\n"
    )
    assert extract_program(answer, "python3").source == PY


def test_sources_are_tidied() -> None:
    answer = "```python\r\n\r\na, b = map(int, input().split())   \r\nprint(a + b)\r\n\r\n```"
    assert extract_program(answer, "python3").source == PY


def test_fenced_blocks_and_language_detection_directly() -> None:
    blocks = fenced_blocks("x\n~~~py\nprint(1)\n~~~\n````\nopen")
    assert [(b.tag, b.code, b.closed) for b in blocks] == [
        ("py", "print(1)", True),
        ("", "open", False),
    ]
    assert detect_language("print(input())") == "python3"
    assert detect_language("hello world") is None
    assert detect_language("fn main() {}", "rust") is None
