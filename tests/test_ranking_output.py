"""The page shows what the ranking snippet prints, produced by running it at build time."""

from __future__ import annotations

import site_checks
from conftest import FIXTURES, ROOT
from html_text import code_blocks

SNIPPET = "snippets/trend_ranking.py"


def pages_declaring(site, snippet: str) -> list[str]:
    """The built pages whose Markdown declares this snippet's expected output."""
    return [
        site_checks.page_path(ROOT, markdown) for markdown in site_checks.built_markdown(ROOT, site.site)
        if any(block.snippet == snippet for block in site_checks.expected_outputs(markdown))
    ]


def test_every_page_shows_what_its_snippets_print(site):
    assert pages_declaring(site, SNIPPET), f"no page declares the output of {SNIPPET}"
    assert site_checks.outputs_not_shown(ROOT, site.site) == []


def test_output_appears_once(site, snippet_output):
    # The charts import the ranking; they must not print it into the page again.
    for page in pages_declaring(site, SNIPPET):
        page_blocks = [code for _, code in code_blocks(site.page(page))]
        assert sum(snippet_output[0] in code for code in page_blocks) == 1


def test_snippet_keeps_the_seed_lessons_output(snippet_output):
    # Golden lines, copied once from the seed lesson's "Expected output".
    seed = (FIXTURES / "seed_expected_output.txt").read_text(encoding="utf-8").splitlines()
    assert snippet_output == seed
