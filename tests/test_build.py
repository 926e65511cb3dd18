from pathlib import Path

from sandbox.build import Builder
from sandbox.languages import language_by_id
from tests.conftest import write


def test_a_repeated_compile_costs_no_compiler_run(builder: Builder, tmp_path: Path) -> None:
    source = write(tmp_path / "a" / "prog.cpp", "int main() { return 0; }\n")
    first = builder.build(source, language_by_id("cpp"))
    assert first.ok and not first.cached
    # The same bytes elsewhere, under the same name, are the same program.
    again = write(tmp_path / "b" / "prog.cpp", "int main() { return 0; }\n")
    second = builder.build(again, language_by_id("cpp"))
    assert second.ok and second.cached
    assert second.program is not None and first.program is not None
    assert second.program.directory == first.program.directory


def test_a_compile_error_is_cached_too(builder: Builder, tmp_path: Path) -> None:
    source = write(tmp_path / "bad.c", "int main() { return 0 }\n")
    first = builder.build(source, language_by_id("c"))
    second = builder.build(source, language_by_id("c"))
    assert not first.ok and not second.ok
    assert second.cached and second.message == first.message


def test_a_changed_source_is_compiled_again(builder: Builder, tmp_path: Path) -> None:
    source = write(tmp_path / "p.c", "int main() { return 0; }\n")
    assert builder.build(source, language_by_id("c")).ok
    source.write_text("int main() { return 1; }\n")
    assert not builder.build(source, language_by_id("c")).cached


def test_java_main_class_is_found(builder: Builder, tmp_path: Path) -> None:
    source = write(
        tmp_path / "Solution.java",
        "class Helper {}\npublic class Solution { public static void main(String[] a) {} }\n",
    )
    built = builder.build(source, language_by_id("java"))
    assert built.ok and built.program is not None and built.program.main == "Solution"


def test_java_main_class_is_the_files_class_even_with_nested_classes(
    builder: Builder, tmp_path: Path
) -> None:
    source = write(
        tmp_path / "Scanner.java",
        "public class Scanner {\n  static class Pair { int a; }\n"
        "  public static void main(String[] a) {}\n}\n",
    )
    built = builder.build(source, language_by_id("java"))
    assert built.ok and built.program is not None and built.program.main == "Scanner"


def test_sources_differing_in_comments_and_spacing_are_built_once(
    builder: Builder, tmp_path: Path
) -> None:
    first = write(tmp_path / "one.cpp", "int main() {\n    return 0; // done\n}\n")
    second = write(tmp_path / "two.cpp", "/* candidate 2 */\nint main() {\n\n  return 0;\n}\n")
    different = write(tmp_path / "three.cpp", 'int main() { return "//"[0] - 47; }\n')
    a = builder.build(first, language_by_id("cpp"))
    b = builder.build(second, language_by_id("cpp"))
    c = builder.build(different, language_by_id("cpp"))
    assert b.cached and a.program is not None and b.program is not None
    assert a.program.directory == b.program.directory
    assert not c.cached


def test_python_comments_do_not_matter_but_code_does(builder: Builder, tmp_path: Path) -> None:
    first = builder.build(write(tmp_path / "a.py", "print(1)  # one\n"), language_by_id("python3"))
    b = builder.build(write(tmp_path / "b.py", "# header\nprint(1)\n"), language_by_id("python3"))
    c = builder.build(
        write(tmp_path / "c.py", "print('# not a comment')\n"), language_by_id("python3")
    )
    assert first.ok and b.cached and not c.cached
