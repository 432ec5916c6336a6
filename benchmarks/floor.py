"""The floor: the least work that produces a lesson page's code results, in one process.

    python benchmarks/floor.py PROJECT_DIR LESSON.md [LESSON.md ...]

For each lesson: run each snippet named by an expected-output block (in this
process, with its output captured), run each html code block (the charts, drawn
with matplotlib) and convert the Markdown with ``markdown``. No site generator,
no theme, no search index, no subprocesses: what any tool would have to do.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import runpy
import sys
from pathlib import Path

import markdown

SNIPPET_BLOCK = re.compile(r'^```text expected-output="([^"]+)"', re.MULTILINE)
HTML_BLOCK = re.compile(r'^```python exec="on" html="on"\n(.*?)^```', re.MULTILINE | re.DOTALL)


def build_lesson(root: Path, lesson: Path) -> int:
    text = lesson.read_text(encoding="utf-8")
    produced = 0
    for snippet in SNIPPET_BLOCK.findall(text):
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            runpy.run_path(str(root / snippet), run_name="__main__")
        produced += len(printed.getvalue())
    for code in HTML_BLOCK.findall(text):
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            exec(compile(code, str(lesson), "exec"), {"__name__": "__floor__"})
        produced += len(printed.getvalue())
    html = markdown.markdown(text, extensions=["admonition", "def_list", "md_in_html", "tables", "toc"])
    return produced + len(html)


def main(argv: list[str]) -> None:
    root = Path(argv[0]).resolve()
    os.chdir(root)
    sys.path.insert(0, str(root / "snippets"))
    total = sum(build_lesson(root, Path(lesson)) for lesson in argv[1:])
    print(f"{total} characters produced")


if __name__ == "__main__":
    main(sys.argv[1:])
