"""The widget's accessibility beyond what axe-core sees: 320 px screens and
200 % zoom, touch target sizes, reduced motion, weak city colours, and the
kiosk mode that wipes a shared screen after inactivity."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.widget_driver import dialog, launcher, run_axe, textbox, type_and_send, wait_opened


def rgb(value: str) -> tuple[float, float, float]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", value)[:3])


def contrast(a: str, b: str) -> float:
    def lum(c):
        ch = [v / 255 for v in rgb(c)]
        ch = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in ch]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def style(locator, prop: str) -> str:
    return locator.evaluate(f"n => getComputedStyle(n)['{prop}']")


@pytest.mark.parametrize(
    "viewport",
    [
        {"width": 320, "height": 640},  # WCAG 1.4.10 reflow: 320 CSS px
        {"width": 640, "height": 400},  # a 1280 x 800 screen at 200 % zoom
    ],
    ids=["320px", "zoom200"],
)
def test_usable_at_320_px_and_200_percent_zoom(page, web_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(web_url + "/")
    launcher(page).click()
    panel = dialog(page)
    expect(textbox(page)).to_be_focused()
    wait_opened(page)  # measure the layout, not the opening animation (a short slide of .75em)
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= viewport["width"] and box["y"] + box["height"] <= viewport["height"]
    # No horizontal scrolling, in the page or in the panel.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert panel.evaluate("n => n.scrollWidth <= n.clientWidth")
    # Every control is inside the screen and at least 44 x 44 px.
    for control in panel.locator("button, textarea").all():
        b = control.bounding_box()
        assert b["width"] >= 44 and b["height"] >= 44, (control.inner_text(), b)
        assert b["x"] >= 0 and b["x"] + b["width"] <= viewport["width"] + 0.5, (control.inner_text(), b)
    expect(panel.get_by_role("button", name="Envoyer")).to_be_in_viewport()
    expect(panel.get_by_role("button", name="Parler à un conseiller")).to_be_in_viewport()
    # The panel covers the screen: Tab stays inside it instead of reaching the page behind.
    for _ in range(12):
        page.keyboard.press("Tab")
        assert panel.evaluate("n => n.contains(document.activeElement)")


def test_reduced_motion_is_respected(page, web_url):
    page.emulate_media(reduced_motion="reduce")
    page.goto(web_url + "/")
    launcher(page).click()
    assert style(dialog(page), "animationName") == "none"
    page.emulate_media(reduced_motion="no-preference")
    assert style(dialog(page), "animationName") == "aidenum-in"


def test_weak_city_colours_keep_text_readable(page, web_url, axe_path):
    """A page asking for white text on yellow gets black text: >= 4.5:1 whatever the attributes."""
    html = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Page de test</title></head>'
        "<body><main><h1>Couleurs faibles</h1></main>"
        f'<script src="{web_url}/widget/widget.js" data-color="#ffdd00" data-color-text="#ffffff" defer></script>'
        "</body></html>"
    )
    page.route(web_url + "/couleurs-faibles", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(web_url + "/couleurs-faibles")
    opener = launcher(page)
    assert contrast(style(opener, "color"), style(opener, "backgroundColor")) >= 4.5
    assert style(opener, "color") == "rgb(0, 0, 0)"
    opener.click()
    wait_opened(page)  # the colours as they stay, not mid-fade
    link = page.locator("#aidenum-notice a")
    assert contrast(style(link, "color"), "rgb(241, 242, 244)") >= 4.5  # the yellow, darkened
    header = page.locator(".aidenum-header")
    assert contrast(style(header, "color"), style(header, "backgroundColor")) >= 4.5
    assert run_axe(page, axe_path) == []


def test_kiosk_wipes_the_conversation_after_inactivity(page, web_url):
    page.goto(web_url + "/?borne=3")
    launcher(page).click()
    expect(dialog(page)).to_contain_text("la conversation s'efface")
    assert type_and_send(page, "Bonjour").startswith("Bonjour")
    sender = page.evaluate("localStorage.getItem('aidenum.sender')")
    # Nobody touches the kiosk: the panel closes, the history and the conversation id go.
    expect(dialog(page)).to_be_hidden(timeout=30_000)
    expect(page.locator(".aidenum-log .aidenum-msg")).to_have_count(0)
    assert page.evaluate("localStorage.getItem('aidenum.sender')") != sender
    assert "Bonjour" not in (page.evaluate("sessionStorage.getItem('aidenum.history')") or "")
