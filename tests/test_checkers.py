from sandbox.checkers import CheckerFlags, compare_output

DEFAULT = CheckerFlags()


def accepted(answer: bytes, output: bytes, flags: CheckerFlags = DEFAULT) -> bool:
    return compare_output(answer, output, flags).accepted


def test_tokens_ignore_whitespace_by_default() -> None:
    assert accepted(b"1 2\n3\n", b"  1\n\n2 3")
    assert not accepted(b"1 2 3", b"1 2")
    assert not accepted(b"1 2", b"1 2 3")


def test_case_insensitive_unless_case_sensitive() -> None:
    assert accepted(b"Yes", b"YES")
    assert not accepted(b"Yes", b"YES", CheckerFlags.parse(["case_sensitive"]))
    assert accepted(b"Yes", b"Yes", CheckerFlags.parse(["case_sensitive"]))


def test_space_change_sensitive() -> None:
    flags = CheckerFlags.parse(["space_change_sensitive"])
    assert accepted(b"1 2\n", b"1 2\n", flags)
    assert not accepted(b"1 2\n", b"1  2\n", flags)
    assert not accepted(b"1 2\n", b"1\n2\n", flags)


def test_numbers_are_strings_without_a_tolerance() -> None:
    assert not accepted(b"1.0", b"1.00")
    assert not accepted(b"1", b"1.0")


def test_float_tolerance_is_absolute_or_relative() -> None:
    flags = CheckerFlags.parse(["float_tolerance", "1e-6"])
    assert accepted(b"1.0", b"1.0000009", flags)
    assert not accepted(b"1.0", b"1.0000011", flags)
    assert accepted(b"1000000", b"1000000.9", flags)  # relative
    assert not accepted(b"1000000", b"1000001.1", flags)
    assert not accepted(b"1.0", b"one", flags)


def test_float_absolute_and_relative_separately() -> None:
    absolute = CheckerFlags.parse(["float_absolute_tolerance", "0.1"])
    assert accepted(b"100", b"100.09", absolute)
    assert not accepted(b"100", b"100.2", absolute)
    relative = CheckerFlags.parse(["float_relative_tolerance", "0.01"])
    assert accepted(b"100", b"100.9", relative)
    assert not accepted(b"1", b"1.02", relative)


def test_float_flags_leave_words_as_words() -> None:
    flags = CheckerFlags.parse(["float_tolerance", "1e-6"])
    assert accepted(b"possible 0.5", b"POSSIBLE 0.5000001", flags)
    assert not accepted(b"possible", b"impossible", flags)


def test_python_float_spellings_are_not_numbers() -> None:
    flags = CheckerFlags.parse(["float_tolerance", "1e-6"])
    assert not accepted(b"10", b"1_0", flags)


def test_bad_flags_raise() -> None:
    for words in (["float_tolerance"], ["float_tolerance", "x"], ["bogus"]):
        try:
            CheckerFlags.parse(words)
        except ValueError:
            continue
        raise AssertionError(f"{words} should be refused")


def test_messages_say_where() -> None:
    result = compare_output(b"1 2 3", b"1 5 3", DEFAULT)
    assert "token 2" in result.message and "'2'" in result.message
