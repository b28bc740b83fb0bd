"""The web process's own pages, through Flask's test client: the demo page
embeds the widget with one script tag, the widget's configuration carries the
privacy notice and may be read from the city's own site."""

from __future__ import annotations

import re

from bot.settings import get_settings
from bot.texts.privacy import notice_text
from bot.web.app import create_app


def client():
    return create_app().test_client()


def test_the_demo_page_embeds_the_widget_with_one_script_tag():
    page = client().get("/", base_url="http://mairie.example:8080").get_data(as_text=True)
    assert '<html lang="fr">' in page and get_settings().city_name in page
    tags = re.findall(r"<script\b[^>]*>", page)
    assert len(tags) == 1, tags
    tag = tags[0]
    assert 'src="/widget/widget.js"' in tag and "defer" in tag
    assert f'data-server="http://mairie.example:{get_settings().rasa_port}"' in tag
    assert 'data-color="#7d1a3b"' in tag and 'data-color-text="#fff"' in tag
    assert "data-kiosk" not in tag


def test_the_demo_page_in_kiosk_mode():
    page = client().get("/?borne=90").get_data(as_text=True)
    assert 'data-kiosk="90"' in page
    assert 'data-kiosk="2"' in client().get("/?borne=0").get_data(as_text=True)  # clamped
    assert 'data-kiosk="120"' in client().get("/?borne=oui").get_data(as_text=True)


def test_widget_files_and_config_are_served_for_other_sites():
    c = client()
    assert c.get("/widget/widget.js").status_code == 200
    assert c.get("/widget/widget.css").status_code == 200
    response = c.get("/widget/config.json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    config = response.get_json()
    s = get_settings()
    assert config["notice"] == notice_text(s.service_name, s.retention_conversation_days, s.privacy_notice_url)
    assert config["service_name"] == get_settings().service_name
    assert config["human_request"] == "Je veux parler à un conseiller"


def test_the_widget_never_writes_bot_text_as_html_and_asks_nothing_of_others():
    source = client().get("/widget/widget.js").get_data(as_text=True)
    # innerHTML is used once, for the opener's constant icon; bot text goes through text nodes.
    assert source.count("innerHTML") == 1 and "ui.launcher.innerHTML = ICON" in source
    assert "eval(" not in source and "document.write" not in source
    # No third-party address: every URL in the files is built from the script's own or data-server.
    css = client().get("/widget/widget.css").get_data(as_text=True)
    assert not re.search(r"https?://", css)
    assert not re.search(r"""fetch\(\s*["']https?://""", source)


def test_unknown_pages_answer_in_french():
    response = client().get("/nulle-part")
    assert response.status_code == 404 and "n'existe pas" in response.get_data(as_text=True)
