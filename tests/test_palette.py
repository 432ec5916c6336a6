"""The palette toggle (overrides/partials/javascripts/palette.html): set before any content, kept, and followed.

Each test loads the real site in Chromium. "Before any content" is observed, not
assumed: an init script records the body's palette when the lesson's content
element is first added to the document, i.e. before anything of it can be painted.
"""

from __future__ import annotations

import pytest

from test_browser import LESSON, PAGE_BACKGROUND, PALETTE_TOGGLE, SCHEME, scheme_is, visit

# Runs before the page's own scripts: notes the palette at the moment the content is parsed.
PALETTE_WHEN_CONTENT_ARRIVES = """
new MutationObserver((changes, observer) => {
  if (!document.querySelector('.md-content')) return;
  window.__paletteAtContent = document.body.getAttribute('data-md-color-scheme');
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""
# Media query change events reach listeners in the order their queries were made: once one
# made by the test has seen the change, the page's own listeners (made at load) have run.
WATCH_FOR_DARK = """() => {
  const query = matchMedia('(prefers-color-scheme: dark)');
  window.__darkSeen = new Promise(seen => query.addEventListener('change', seen, {once: true}));
}"""


@pytest.mark.parametrize(("system", "scheme", "toggle_title"), [
    ("light", "default", "Switch to dark mode"),
    ("dark", "slate", "Switch to light mode"),
])
def test_first_visit_follows_the_system_before_any_content(browser, served_site, system, scheme, toggle_title):
    with visit(browser, served_site, LESSON, system, init_script=PALETTE_WHEN_CONTENT_ARRIVES) as visited:
        page = visited.page
        assert page.evaluate("window.__paletteAtContent") == scheme
        assert page.evaluate(SCHEME) == scheme
        assert page.locator(PALETTE_TOGGLE).count() == 1
        assert page.locator(PALETTE_TOGGLE).get_attribute("title") == toggle_title


def test_a_choice_is_kept_across_pages_and_reloads(browser, served_site):
    with visit(browser, served_site, LESSON, "light", init_script=PALETTE_WHEN_CONTENT_ARRIVES) as visited:
        page = visited.page
        page.locator(PALETTE_TOGGLE).click()
        scheme_is(page, "slate")
        page.locator(".md-footer__link--prev").click()  # to the module home: a new page load
        page.wait_for_url(served_site)
        assert page.evaluate(SCHEME) == "slate"
        page.locator(PALETTE_TOGGLE).click()  # the toggle works on the new page
        scheme_is(page, "default")
        page.locator(PALETTE_TOGGLE).click()
        scheme_is(page, "slate")
        page.reload(wait_until="networkidle")
        assert page.evaluate("window.__paletteAtContent") == "slate"  # no light flash on reload
        assert page.locator(PALETTE_TOGGLE).get_attribute("title") == "Switch to light mode"
        assert visited.errors == []


def test_the_system_is_followed_until_the_reader_chooses(browser, served_site):
    with visit(browser, served_site, LESSON, "light") as visited:
        page = visited.page
        page.emulate_media(color_scheme="dark")
        scheme_is(page, "slate")
        page.locator(PALETTE_TOGGLE).click()  # the reader chooses light
        scheme_is(page, "default")
        page.emulate_media(color_scheme="light")
        page.evaluate(WATCH_FOR_DARK)
        page.emulate_media(color_scheme="dark")
        page.evaluate("window.__darkSeen.then(() => true)")
        assert page.evaluate(SCHEME) == "default"


@pytest.mark.parametrize("key", ["ArrowRight", "Enter", "Space"])
def test_the_keyboard_switches_the_palette(browser, served_site, key):
    """Arrows move along the radio group; Enter and Space press the toggle, as on Material's own component."""
    with visit(browser, served_site, LESSON, "light") as visited:
        page = visited.page
        page.focus("form[data-palette] input:checked")
        page.keyboard.press(key)
        scheme_is(page, "slate")
        page.keyboard.press(key)
        scheme_is(page, "default")
        assert page.evaluate("document.activeElement.matches('form[data-palette] input:checked')")


def test_browser_colour_meta_tags_follow_the_palette(browser, served_site):
    header_matches_meta = """() => {
      const meta = name => document.querySelector(`meta[name="${name}"]`).content;
      const probe = document.body.appendChild(document.createElement('span'));
      probe.style.color = meta('theme-color');  // any CSS colour syntax, compared as computed
      const themeColour = getComputedStyle(probe).color;
      probe.remove();
      return [meta('color-scheme'), themeColour === getComputedStyle(document.querySelector('header')).backgroundColor];
    }"""
    with visit(browser, served_site, LESSON, "dark") as visited:
        page = visited.page
        assert page.evaluate(header_matches_meta) == ["dark", True]
        page.locator(PALETTE_TOGGLE).click()
        scheme_is(page, "default")
        assert page.evaluate(header_matches_meta) == ["light", True]


# WCAG contrast of every highlighted code token against its code block, as the browser paints them.
CODE_CONTRAST = """
async () => {
  await Promise.all(document.getAnimations().map((a) => a.finished));  // colours fade when the media changes
  %s
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const found = [];
  for (const token of document.querySelectorAll('.md-content .highlight code span[class]')) {
    if (!token.textContent.trim()) continue;
    const bg = parse(backgroundOf(token));
    const [r, g, b, a] = parse(getComputedStyle(token).color);
    const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    found.push({token: token.textContent.trim().slice(0, 30), ratio: (hi + 0.05) / (lo + 0.05)});
  }
  return found;
}
""" % PAGE_BACKGROUND


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("media", ["screen", "print"])
def test_code_is_legible_on_screen_and_on_paper_in_either_palette(browser, served_site, scheme, media):
    """Printing from the dark palette gives a white page (Material's own colours are screen-only), so the
    dark palette's pale code colours must not reach paper."""
    with visit(browser, served_site, LESSON, scheme) as visited:
        visited.page.emulate_media(media=media)
        tokens = visited.page.evaluate(CODE_CONTRAST)
    assert tokens, "no highlighted code on the lesson"
    assert [t for t in tokens if t["ratio"] < 4.5] == []
