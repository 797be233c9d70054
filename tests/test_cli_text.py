"""`tst encode` / `tst decode`: real files, exit codes, messages, atomic output, streaming."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tst
from tests.cli_support import CLI, cli_fixture  # noqa: F401  (the `cli` fixture)
from tst.data.blocks import Block, decode_block, read_blocks, split_pieces

FINANCE = Path(__file__).resolve().parent.parent / "examples" / "finance.txt"


def files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_encode_file_to_stdout_matches_codec(cli: CLI) -> None:
    r = cli("encode", str(FINANCE), "--variant", "vocab")
    assert r.status == 0, r.err
    text = FINANCE.read_text(encoding="utf-8")
    assert r.text == tst.Codec(variant="vocab").encode(text)
    assert r.err == ""


def test_stdin_to_stdout_round_trip(cli: CLI) -> None:
    data = "Q3: 1,234.5 units\n⟦literal⟧ and 0.0045\r\nlast line without newline 42".encode()
    enc = cli("encode", stdin=data)
    assert enc.status == 0
    assert enc.text == tst.Codec().encode(data.decode())
    dec = cli("decode", stdin=enc.out)
    assert dec.status == 0
    assert dec.out == data


@pytest.mark.parametrize(
    "flags, settings",
    [
        (["--variant", "vocab", "--group-size", "4"], {"variant": "vocab", "group_size": 4}),
        (["--decimal", ",", "--no-indian"], {"decimal": ",", "indian": False}),
        (
            ["--separators", "", "--int-digits", "6", "--frac-digits", "3"],
            {"separators": "", "int_digits": 6, "frac_digits": 3},
        ),
        (
            ["--overflow", "extend", "--int-digits", "3", "--variant", "vocab"],
            {"overflow": "extend", "int_digits": 3, "variant": "vocab"},
        ),
        (["--style", "paper", "--variant", "vocab"], {"style": "paper", "variant": "vocab"}),
    ],
)
def test_flags_configure_the_codec(cli: CLI, tmp_path: Path, flags: list[str], settings: dict[str, object]) -> None:
    src = tmp_path / "in.txt"
    text = "1.234,5 and 1,234.5 and 12,34,567 and 1234567890 and 0.123456 x\n" * 3
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.txt"
    r = cli("encode", str(src), "-o", str(out), *flags)
    assert r.status == 0, r.err
    codec = tst.Codec(**settings)  # type: ignore[arg-type]
    assert out.read_text(encoding="utf-8") == codec.encode(text)
    if codec.settings.style == "exact":
        back = tmp_path / "back.txt"
        assert cli("decode", str(out), "-o", str(back), *flags).status == 0
        assert back.read_bytes() == src.read_bytes()


def test_output_is_atomic_on_bad_input(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "bad.txt"
    # Line 3 holds an invalid byte after several blocks' worth of good lines.
    src.write_bytes(b"price 1,000\n" * 2 + b"caf\xe9 12\n" + b"ok 7\n" * 100)
    out = tmp_path / "out.txt"
    out.write_text("previous content", encoding="utf-8")
    r = cli("encode", str(src), "-o", str(out), "--block-size", "16")
    assert r.status == 2
    assert f"{src}:3: invalid UTF-8 (byte e9 at byte offset 27, byte 4 of the line)" in r.err
    assert "--errors=surrogateescape" in r.err
    assert out.read_text(encoding="utf-8") == "previous content"
    assert files_in(tmp_path) == ["bad.txt", "out.txt"]  # no temporary file left behind


def test_output_through_a_link_replaces_the_file_it_names(cli: CLI, tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    dangling = tmp_path / "later.txt"
    (tmp_path / "new").symlink_to(dangling)
    for target in (link, tmp_path / "new"):
        r = cli("encode", "-o", str(target), stdin=b"total 1234567\n")
        assert r.status == 0, r.err
    assert link.is_symlink() and (tmp_path / "new").is_symlink()  # the links stay links
    (tmp_path / "loop_a").symlink_to(tmp_path / "loop_b")
    (tmp_path / "loop_b").symlink_to(tmp_path / "loop_a")
    r = cli("encode", "-o", str(tmp_path / "loop_a"), stdin=b"1\n")
    assert r.status == 1 and "cannot write" in r.err and (tmp_path / "loop_a").is_symlink()
    assert real.read_text(encoding="utf-8") == tst.Codec().encode("total 1234567\n")
    assert dangling.read_text(encoding="utf-8") == tst.Codec().encode("total 1234567\n")


def test_a_replaced_output_keeps_its_owner_and_mode(cli: CLI, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o640)
    if os.geteuid() == 0:  # as root, the owner of another user's file is kept too
        os.chown(out, 1234, 1234)
    before = out.stat()
    assert cli("encode", "-o", str(out), stdin=b"n 1000\n").status == 0
    after = out.stat()
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (before.st_uid, before.st_gid, 0o640)
    assert after.st_ino != before.st_ino  # replaced, not rewritten


def test_output_to_a_fifo_or_device_is_written_in_place(cli: CLI, tmp_path: Path) -> None:
    """Replacing such a target would leave a regular file there (as root, for /dev/null: for every process)."""
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    r = cli("encode", "-o", str(fifo), stdin=b"n 1000\n")
    reader.join(timeout=30)
    assert r.status == 0, r.err
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert got == [tst.Codec().encode("n 1000\n").encode()]
    assert files_in(tmp_path) == ["pipe"]  # no temporary file beside it
    null_kind = stat.S_IFMT(os.stat(os.devnull).st_mode)
    assert cli("encode", "-o", os.devnull, stdin=b"n 1000\n").status == 0
    assert stat.S_IFMT(os.stat(os.devnull).st_mode) == null_kind == stat.S_IFCHR


def test_new_output_not_created_on_error(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("fine 1\n⟦12⟧⟦k⟧ cut short\n", encoding="utf-8")
    out = tmp_path / "new.txt"
    r = cli("decode", str(src), "-o", str(out))
    assert r.status == 2
    assert f"{src}:2:8: invalid TST: number cut short" in r.err
    assert not out.exists()
    assert files_in(tmp_path) == ["in.txt"]


def test_lenient_decode_never_fails(cli: CLI) -> None:
    r = cli("decode", "--lenient", stdin="⟦12⟧⟦k⟧ cut short ⟧ and ⟦1⟧⟦u⟧\n".encode())
    assert r.status == 0, r.err
    assert r.text == tst.Codec().decode("⟦12⟧⟦k⟧ cut short ⟧ and ⟦1⟧⟦u⟧\n", strict=False)


def test_overflow_error_names_the_place(cli: CLI) -> None:
    r = cli("encode", "--overflow", "error", "--int-digits", "4", stdin=b"ok 1234\nline two 12345 here\n")
    assert r.status == 2
    assert "<stdin>:2:10: number out of range" in r.err


def test_surrogateescape_round_trips_invalid_bytes(cli: CLI, tmp_path: Path) -> None:
    raw = b"caf\xe9 costs 1,234.5\xff\xfe 7\n\x80 12\xc3 x \xed\xa0\x80 9\nend 3.25"
    src = tmp_path / "latin.txt"
    src.write_bytes(raw)
    enc, dec = tmp_path / "enc.txt", tmp_path / "dec.txt"
    r = cli("encode", str(src), "-o", str(enc), "--errors", "surrogateescape", "--variant", "vocab")
    assert r.status == 0, r.err
    assert "⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧".encode() in enc.read_bytes()
    assert b"\xe9" in enc.read_bytes() and b"\xed\xa0\x80" in enc.read_bytes()
    r = cli("decode", str(enc), "-o", str(dec), "--errors", "surrogateescape", "--variant", "vocab")
    assert r.status == 0, r.err
    assert dec.read_bytes() == raw
    assert cli("encode", str(src)).status == 2  # strict by default


def test_output_keeps_mode_and_can_replace_input(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "data.txt"
    src.write_text("a 1,000\nb 2.5\n", encoding="utf-8")
    os.chmod(src, 0o640)
    r = cli("encode", str(src), "-o", str(src), "--variant", "vocab")
    assert r.status == 0, r.err
    assert src.read_text(encoding="utf-8") == "a ⟦,3⟧⟦1k⟧⟦000⟧\nb ⟦2⟧.⟦5p⟧\n"
    assert stat.S_IMODE(os.stat(src).st_mode) == 0o640
    assert files_in(tmp_path) == ["data.txt"]


def test_interrupt_leaves_no_output(cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tst.cli.cmd_text as cmd_text

    def interrupted(source, sink, *args, **kwargs):  # type: ignore[no-untyped-def]
        sink.write(b"half of it")
        raise KeyboardInterrupt

    monkeypatch.setattr(cmd_text, "convert_text", interrupted)
    src = tmp_path / "in.txt"
    src.write_text("1\n", encoding="utf-8")
    r = cli("encode", str(src), "-o", str(tmp_path / "out.txt"))
    assert r.status == 130
    assert f"interrupted; {tmp_path / 'out.txt'} was not written" in r.err
    assert files_in(tmp_path) == ["in.txt"]


def test_verbose_counts_and_quiet(cli: CLI) -> None:
    r = cli("encode", "-v", str(FINANCE))
    assert r.status == 0
    n = len(tst.Codec().numbers(FINANCE.read_text(encoding="utf-8")))
    assert r.err == f"tst encode: 12 lines, {n} numbers encoded\n"
    assert cli("encode", "-v", "-q", str(FINANCE)).err == ""


def test_progress_bar_only_when_asked_or_on_a_terminal(cli: CLI) -> None:
    r = cli("encode", str(FINANCE), "--progress", "on")
    assert r.status == 0
    assert "100.0%" in r.err and "MB/s" in r.err and r.err.endswith("\n")
    assert cli("encode", str(FINANCE)).err == ""  # stderr is not a terminal here


def test_config_file_and_bad_settings(cli: CLI, tmp_path: Path) -> None:
    config = tmp_path / "vocab.json"
    assert cli("vocab", "--variant", "vocab", "--group-size", "2", "--format", "json", "-o", str(config)).status == 0
    r = cli("encode", "--config", str(config), stdin=b"12345.678")
    assert r.text == tst.Codec(variant="vocab", group_size=2).encode("12345.678")
    r = cli("encode", "--config", str(config), "--group-size", "3", stdin=b"12345.678")  # flags override
    assert r.text == tst.Codec(variant="vocab").encode("12345.678")
    (tmp_path / "bad.json").write_text(json.dumps({"variant": "vocab", "colour": "red"}), encoding="utf-8")
    r = cli("encode", "--config", str(tmp_path / "bad.json"), stdin=b"1")
    assert r.status == 2 and "unknown codec settings colour" in r.err
    r = cli("encode", "--group-size", "9", stdin=b"1")
    assert r.status == 2 and "invalid codec settings: group_size must be between 1 and 6, not 9" in r.err
    r = cli("decode", "--style", "paper", stdin=b"1")
    assert r.status == 2 and "cannot be decoded" in r.err


def test_missing_input_and_usage_errors(cli: CLI, tmp_path: Path) -> None:
    r = cli("encode", str(tmp_path / "nope.txt"))
    assert r.status == 2 and f"cannot read {tmp_path / 'nope.txt'}: No such file or directory" in r.err
    r = cli("encode", "--variant", "fancy")
    assert r.status == 2 and "invalid choice: 'fancy'" in r.err
    r = cli("encode", "-o", str(tmp_path))
    assert r.status == 2 and "is a directory" in r.err
    r = cli("encode", "-o", str(tmp_path / "no such folder" / "x.txt"), stdin=b"1")
    assert r.status == 1 and "cannot write" in r.err  # an I/O failure (docs/cli.md, exit codes)
    (tmp_path / "t.parquet").write_bytes(b"PAR1\x15\x04\xa0 rest of a Parquet file")
    r = cli("decode", str(tmp_path / "t.parquet"))
    assert r.status == 2 and "t.parquet is a Parquet file, not text: use tst convert" in r.err
    assert "--decode -o OUT.parquet" in r.err
    assert cli().status == 2  # a command is required


@pytest.mark.parametrize("command", ["encode", "decode", "convert", "stats", "vocab", "export"])
def test_each_command_has_help_with_examples(cli: CLI, command: str) -> None:
    r = cli(command, "--help")
    assert r.status == 0
    assert r.text.startswith(f"usage: tst {command}")
    assert "examples:" in r.text and f"tst {command}" in r.text.split("examples:")[1]


def test_top_level_help_and_version(cli: CLI) -> None:
    r = cli("--help")
    assert r.status == 0
    for command in ("encode", "decode", "convert", "stats", "vocab", "export"):
        assert f"    {command} " in r.text
    assert cli("--version").text.startswith(f"tst {tst.__version__}\nengine: {tst.backend()}")


# -- streaming: blocks never change the result ---------------------------------

LINE_TEXT = st.text(alphabet=st.sampled_from(list("0123456789.,' _-+eEx\n\r⟦⟧ ")), max_size=120)


@settings(max_examples=150)
@given(text=LINE_TEXT, variant=st.sampled_from(["marker", "vocab"]), group=st.integers(1, 6))
def test_converting_line_by_line_equals_converting_the_whole_text(
    make_codec: Callable[..., tst.Codec], text: str, variant: str, group: int
) -> None:
    # The CLI streams by cutting at newlines: no number, unit or escape spans one.
    codec = make_codec(variant=variant, group_size=group)
    whole = codec.encode(text)
    assert "\n".join(codec.encode(line) for line in text.split("\n")) == whole
    assert "\n".join(codec.decode(line) for line in whole.split("\n")) == text
    garbled = whole.replace("⟧", "").replace("k", "\n")
    # Lenient decoding renders what a text's very end cuts short (docs/generation.md), so lines are
    # decoded with their newline, as the CLI's blocks end at one; only the last may end the text.
    lenient = "".join(codec.decode(line, strict=False) for line in re.findall(r"[^\n]*\n|[^\n]+", garbled))
    assert lenient == codec.decode(garbled, strict=False)
    paper = make_codec(variant=variant, group_size=group, style="paper")
    assert "\n".join(paper.encode(line) for line in text.split("\n")) == paper.encode(text)


@settings(max_examples=100)
@given(text=LINE_TEXT, block=st.integers(1, 40), piece=st.integers(1, 30))
def test_blocks_and_pieces_cover_the_input_exactly(text: str, block: int, piece: int) -> None:
    import io

    data = text.encode("utf-8")
    blocks = list(read_blocks(io.BytesIO(data), block))
    assert b"".join(b.data for b in blocks) == data
    assert all(b.data.endswith(b"\n") for b in blocks[:-1])
    line = 1
    for b in blocks:
        assert b.line == line
        line += b.data.count(b"\n")
    pieces = split_pieces(text, piece)
    assert "".join(pieces) == text
    assert all(p.endswith("\n") for p in pieces[:-1])


@settings(max_examples=60)
@given(text=LINE_TEXT, block=st.integers(1, 64))
def test_cli_result_does_not_depend_on_the_block_size(
    tmp_path_factory: pytest.TempPathFactory, text: str, block: int
) -> None:
    from tst.cli import main

    d = tmp_path_factory.mktemp("blocks")
    src, out = d / "in.txt", d / "out.txt"
    src.write_bytes(text.encode("utf-8"))
    assert main(["encode", str(src), "-o", str(out), "--block-size", str(block), "--variant", "vocab", "-q"]) == 0
    assert out.read_bytes().decode("utf-8") == tst.Codec(variant="vocab").encode(text)


def test_decode_block_reports_line_of_bad_byte() -> None:
    block = Block(b"ok\nstill ok\nbad \xff here\n", offset=100, line=7)
    with pytest.raises(tst.TSTError, match=r"f:9: invalid UTF-8 \(byte ff at byte offset 116, byte 5 of the line\)"):
        decode_block(block, "f")


def test_jobs_give_the_same_output_and_errors(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    text = FINANCE.read_text(encoding="utf-8") * 40
    src.write_text(text, encoding="utf-8")
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    assert cli("encode", str(src), "-o", str(one), "--block-size", "1k").status == 0
    r = cli("encode", str(src), "-o", str(two), "--block-size", "1k", "-j", "2", "-v")
    assert r.status == 0, r.err
    assert two.read_bytes() == one.read_bytes()
    n = len(tst.Codec().numbers(text))
    assert r.err == f"tst encode: {text.count(chr(10)):,} lines, {n:,} numbers encoded\n"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(src.read_bytes() + b"ok\n\xff\n")
    r = cli("encode", str(bad), "-o", str(tmp_path / "x.txt"), "--block-size", "1k", "-j", "2")
    assert r.status == 2 and f"{bad}:{text.count(chr(10)) + 2}: invalid UTF-8 (byte ff" in r.err
    assert not (tmp_path / "x.txt").exists()
    r = cli("decode", str(one), "-o", str(tmp_path / "back.txt"), "-j", "0")
    assert r.status == 0 and (tmp_path / "back.txt").read_bytes() == src.read_bytes()
