"""The page shows what the ranking snippet prints, produced by running it at build time."""

from __future__ import annotations

from conftest import FIXTURES
from html_text import code_blocks


def test_page_output_is_what_the_snippet_prints(site, snippet_output):
    shown = dict(code_blocks(site.page("lessons/latest-progress")))
    assert shown["Output of python snippets/trend_ranking.py"].splitlines() == snippet_output


def test_output_appears_once(site, snippet_output):
    # The charts import the ranking; they must not print it into the page again.
    page_blocks = [code for _, code in code_blocks(site.page("lessons/latest-progress"))]
    assert sum(snippet_output[0] in code for code in page_blocks) == 1


def test_snippet_keeps_the_seed_lessons_output(snippet_output):
    # Golden lines, copied once from the seed lesson's "Expected output".
    seed = (FIXTURES / "seed_expected_output.txt").read_text(encoding="utf-8").splitlines()
    assert snippet_output == seed
