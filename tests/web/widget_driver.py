"""Driving the widget in a real browser, as a resident would: with the keyboard,
by typing and by clicking the quick replies. Waits are for events, never timed."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ANSWER_TIMEOUT_MS = 90_000  # the first turn of a cold Rasa server can be slow


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("node => node === document.activeElement")


def tab_to(page: Page, locator: Locator, backwards: bool = False, limit: int = 60) -> None:
    """Press Tab (or Shift+Tab) until `locator` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if is_focused(locator):
            return
    raise AssertionError(f"{locator} never received the focus with {key}")


def launcher(page: Page) -> Locator:
    return page.get_by_role("button", name="Une question ?")


def dialog(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Aide numérique de Metz")


def wait_opened(page: Page) -> None:
    """The panel is shown and its opening animation (`aidenum-in`: a fade and a short slide) has
    finished, so what is measured is what stays: mid-fade, text and background blend."""
    expect(dialog(page)).to_be_visible()
    page.wait_for_function(
        "() => document.getAnimations()"
        ".filter(a => a.animationName === 'aidenum-in').every(a => a.playState === 'finished')"
    )


def textbox(page: Page) -> Locator:
    return dialog(page).get_by_role("textbox", name="Votre message")


def replies(page: Page) -> Locator:
    return dialog(page).get_by_role("group", name="Réponses proposées").get_by_role("button")


def bot_messages(page: Page) -> Locator:
    return page.locator(".aidenum-log [data-who=bot]")


def user_messages(page: Page) -> Locator:
    return page.locator(".aidenum-log [data-who=user]")


def bot_count(page: Page) -> int:
    return bot_messages(page).count()


def wait_answer(page: Page, before: int) -> str:
    """Wait until the bot answered the last message; its new messages, joined."""
    page.wait_for_function(
        """before => !document.querySelector('.aidenum-status--on')
                 && !document.querySelector('.aidenum-msg--pending')
                 && document.querySelectorAll('.aidenum-log [data-who=bot]').length > before""",
        arg=before,
        timeout=ANSWER_TIMEOUT_MS,
    )
    texts = bot_messages(page).locator(".aidenum-text").all_inner_texts()[before:]
    return "\n".join(texts)


def type_and_send(page: Page, text: str) -> str:
    """Type in the message field (which has the focus) and press Enter; the answer."""
    before = bot_count(page)
    expect(textbox(page)).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    return wait_answer(page, before)


def click_reply(page: Page, title: str) -> str:
    before = bot_count(page)
    replies(page).filter(has_text=title).first.click()
    expect(user_messages(page).last).to_contain_text(title)
    return wait_answer(page, before)


def run_axe(page: Page, axe_path: Path) -> list[dict]:
    """axe-core (npm, pinned in tests/browser) on the whole page; the violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path))
    return page.evaluate(
        """async () => {
             const result = await axe.run(document, {resultTypes: ['violations']});
             return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                 nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
           }"""
    )
