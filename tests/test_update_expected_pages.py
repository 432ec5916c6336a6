"""Property test of `make update-expected` over generated pages, with real snippets run by the real runner.

Each seed builds a project: a few snippets printing random lines, and pages made
of random prose, lists, fences of both kinds and lengths, and expected-output
blocks (at the top, in lists, in admonitions) that match their snippet or not,
with LF, CRLF or mixed line endings. Some pages get one defect that a strict
reader must refuse. The generator records where every block and defect is, so
the test computes what each page must become without asking the code under test:

- a readable page: every line outside the expected-output bodies is byte-identical;
  each stale body holds the snippet's new lines (indented like the fence, ending
  like its opening line); a body whose new output would end its fence stays;
- a page with a defect: not one byte changes, and the report names its file and line.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest

import update_expected

SEEDS = range(30)
WORDS = "diffusion latent prompt guidance noise sampler editing video model `code` *stress* x=1 50% é → ü".split()
# Output lines, fence-like ones included: whether one may sit in a given fence is decided by `may_hold`.
OUTPUT_POOL = [
    "", "plain line", "  two leading spaces", "trailing spaces   ", "{'name': 'video', 'score': 0.71}",
    "- looks like a list", "# looks like a heading", "``", "~~", "```", "```python", "````", "~~~", "~~~ text",
    "  ```", "\tstarts with a tab", "ünïcödé ✓",
]


def may_hold(fence: str, line: str) -> bool:
    """Whether a body line can sit inside a fence: it must not start, after spaces, with that fence's run."""
    return not line.lstrip(" ").startswith(fence)


@dataclass
class Block:
    """An expected-output block as generated: line indexes into the page's lines."""

    snippet: str
    indent: str
    fence: str
    start: int
    end: int
    body: list[str]


@dataclass
class Page:
    lines: list[str] = field(default_factory=list)  # with their endings
    blocks: list[Block] = field(default_factory=list)
    fences: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, fence) of the other fences
    defect_line: int | None = None  # 1-based line the report must name

    def text(self) -> str:
        return "".join(self.lines)


class PageWriter:
    """Builds one random page line by line, remembering where each block is."""

    def __init__(self, rng: random.Random, outputs: dict[str, list[str]]) -> None:
        self.rng, self.outputs, self.page = rng, outputs, Page()
        self.endings = rng.choice([["\n"], ["\r\n"], ["\n", "\r\n"]])

    def add(self, line: str) -> int:
        self.page.lines.append(line + self.rng.choice(self.endings))
        return len(self.page.lines) - 1

    def prose(self) -> None:
        for _ in range(self.rng.randint(1, 3)):
            kind = self.rng.choice(["", "", "## ", "- ", "1. ", "> "])
            self.add(kind + " ".join(self.rng.choices(WORDS, k=self.rng.randint(1, 8))))
        self.add("")

    def fence(self, indent: str = "", info: str | None = None) -> tuple[int, int, str]:
        fence = self.rng.choice("`~") * self.rng.randint(3, 5)
        info = info if info is not None else self.rng.choice(["python", "bash", 'python title="a.py"', "text"])
        start = self.add(f"{indent}{fence}{info}")
        inner = '```text expected-output="snippets/s0.py"'
        candidates = [*OUTPUT_POOL, inner, "    indented"]
        for line in self.rng.choices(candidates, k=self.rng.randint(0, 4)):
            if may_hold(fence, line):
                self.add(indent + line if line else line)
        end = self.add(indent + fence + self.rng.choice(["", "", fence[0]]) + self.rng.choice(["", " "]))
        self.page.fences.append((start, end, fence))
        self.add("")
        return start, end, fence

    def block(self) -> Block:
        indent = self.container()
        snippet = self.rng.choice(sorted(self.outputs))
        output = self.outputs[snippet]
        fence = self.rng.choice(["```", "````", "~~~", "~~~~~"])
        if all(may_hold(fence, line) for line in output) and self.rng.random() < 0.5:
            body = [line + self.rng.choice(["", "", " "]) for line in output]  # matches: trailing spaces are not compared
        else:
            body = [line for line in self.rng.choices(OUTPUT_POOL, k=self.rng.randint(0, 3)) if may_hold(fence, line)]
        timeout = self.rng.choice(["", ' timeout="20"'])
        start = self.add(f'{indent}{fence}text expected-output="{snippet}"{timeout}')
        for line in body:
            self.add(indent + line if line else line)
        end = self.add(indent + fence)
        block = Block(snippet, indent, fence, start, end, body)
        self.page.blocks.append(block)
        self.add("")
        return block

    def container(self) -> str:
        kind = self.rng.choice(["top", "top", "list", "admonition"])
        if kind == "list":
            self.add(self.rng.choice(["- Step:", "1. Run it:"]))
        elif kind == "admonition":
            self.add('!!! example "Output"')
        else:
            return ""
        self.add("")
        return "    "


def snippet_prints(rng: random.Random) -> dict[str, str]:
    """What each snippet writes: random lines, with or without a final line break."""
    printed = {}
    for number in range(5):
        lines = rng.choices(OUTPUT_POOL, k=rng.randint(0, 4))
        printed[f"snippets/s{number}.py"] = "\n".join(lines) + rng.choice(["\n", ""]) if lines else ""
    return printed


def printed_lines(text: str) -> list[str]:
    """The lines of what a program printed, as a terminal shows them (a final line break ends the last line)."""
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n") if text else []


def generate_page(rng: random.Random, outputs: dict[str, list[str]]) -> Page:
    writer = PageWriter(rng, outputs)
    writer.add("---")
    writer.add("title: Generated")
    writer.add("---")
    writer.add("")
    for _ in range(rng.randint(2, 6)):
        rng.choice([writer.prose, writer.fence, writer.block, writer.block])()
    writer.block()
    if rng.random() < 0.35:
        add_defect(writer)
    if rng.random() < 0.3:  # no line break at the end of the file
        if not writer.page.lines[-1].strip():
            writer.page.lines.pop()
        writer.page.lines[-1] = writer.page.lines[-1].rstrip("\r\n")
    return writer.page


def add_defect(writer: PageWriter) -> None:
    """Break the page in one of the ways the issue lists, remembering the line the report must name."""
    rng, page = writer.rng, writer.page
    kind = rng.choice(["runs on", "hidden", "tab", "unclosed at the end", "closing dedented"])
    if kind == "unclosed at the end":
        page.defect_line = writer.add(rng.choice(["```bash", "~~~~ python"])) + 1
        writer.add("ls")
    elif kind == "runs on":  # a block loses its closing line; a chart block of the same kind follows
        block = page.blocks[-1]
        page.lines[block.end] = "\n"  # a blank line instead, so the recorded line numbers hold
        writer.add(block.fence[0] * len(block.fence) + 'python exec="on"')
        writer.add("print('a chart')")
        writer.add(block.fence[0] * len(block.fence))
        page.defect_line = block.start + 1
    elif kind == "hidden":  # an unclosed fence of the same kind just before a new block
        fence = rng.choice(["```", "~~~"])
        page.defect_line = writer.add(fence + "python") + 1
        writer.add("print('code')")
        writer.add("")
        snippet = sorted(writer.outputs)[0]
        writer.add(f'{fence}text expected-output="{snippet}"')
        writer.add("declared")
        writer.add(fence)
    elif kind == "tab":
        page.defect_line = writer.add('\t```text expected-output="snippets/s1.py"') + 1
        writer.add("\tdeclared")
        writer.add("\t```")
    else:  # an indented block whose closing line is not indented
        writer.add("- Step:")
        writer.add("")
        writer.add('    ~~~text expected-output="snippets/s2.py"')
        writer.add("    declared")
        page.defect_line = writer.add("~~~") + 1


def expected_after_update(page: Page, outputs: dict[str, list[str]]) -> tuple[bytes, set[int], dict[int, int]]:
    """What the page must hold after the update, the 1-based lines of the blocks it must refuse, and body lengths."""
    lengths = {block.start: len(block.body) for block in page.blocks}
    if page.defect_line is not None:
        return page.text().encode("utf-8"), set(), lengths
    lines, refused = list(page.lines), set()
    for block in reversed(page.blocks):
        output = outputs[block.snippet]
        if [line.rstrip() for line in block.body] == [line.rstrip() for line in output]:
            continue
        if not all(may_hold(block.fence, line) for line in output):
            refused.add(block.start + 1)
            continue
        ending = lines[block.start][len(lines[block.start].rstrip("\r\n")) :] or "\n"
        lines[block.start + 1 : block.end] = [(block.indent + line if line else line) + ending for line in output]
        lengths[block.start] = len(output)
    return "".join(lines).encode("utf-8"), refused, lengths


def lines_outside_bodies(text: bytes, page: Page, body_lengths: dict[int, int]) -> list[bytes]:
    """The lines of one version of the page outside the blocks' bodies, from the generator's map of the page.

    ``body_lengths`` gives, by the block's opening line in the generated page, how
    many body lines that block has in this version.
    """
    lines, kept, index = text.splitlines(keepends=True), [], 0
    openings = {block.start for block in page.blocks}
    for original in range(len(page.lines)):
        if original in openings or not any(b.start < original < b.end for b in page.blocks):
            kept.append(lines[index])
            index += 1 + (body_lengths[original] if original in openings else 0)
    return kept


@pytest.mark.parametrize("seed", SEEDS)
def test_update_changes_only_expected_output_bodies(tmp_path, capsys, seed):
    rng = random.Random(seed)
    printed = snippet_prints(rng)
    outputs = {snippet: printed_lines(text) for snippet, text in printed.items()}
    (tmp_path / "snippets").mkdir()
    (tmp_path / "docs").mkdir()
    for snippet, text in printed.items():
        (tmp_path / snippet).write_text(f"import sys\nsys.stdout.write({text!r})\n", encoding="utf-8")
    pages = {tmp_path / "docs" / f"page{number}.md": generate_page(rng, outputs) for number in range(6)}
    for path, page in pages.items():
        path.write_bytes(page.text().encode("utf-8"))

    status = update_expected.main(["--root", str(tmp_path)])
    out, err = capsys.readouterr()

    failures_expected = False
    for path, page in pages.items():
        label = f"docs/{path.name}"
        after = path.read_bytes()
        expected, refused, lengths = expected_after_update(page, outputs)
        before = page.text().encode("utf-8")
        original_lengths = {block.start: len(block.body) for block in page.blocks}
        assert lines_outside_bodies(after, page, lengths) == lines_outside_bodies(before, page, original_lengths), (
            f"seed {seed}: {label}: a line outside the expected-output bodies changed"
        )
        if page.defect_line is not None:
            assert after == before, f"seed {seed}: {label} changed although it cannot be parsed"
            assert f"{label}:{page.defect_line}: " in err, f"seed {seed}: {label} not refused at its defect\n{err}"
            failures_expected = True
            continue
        assert after == expected, f"seed {seed}: {label} differs from the expected update\n{err}"
        for line in refused:
            assert f"{label}:{line}: cannot write the new output" in err, err
        failures_expected |= bool(refused)
    assert status == (1 if failures_expected else 0), err

    settled = {path: path.read_bytes() for path in pages}
    update_expected.main(["--root", str(tmp_path)])
    capsys.readouterr()
    assert {path: path.read_bytes() for path in pages} == settled, f"seed {seed}: a second run changed something"
