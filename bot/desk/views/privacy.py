"""The right of access (RGPD art. 15): a coordinateur exports everything held
about a phone number. The export itself is bot.data_rights.export.export_for_phone;
the number travels in a POST body, never in a URL (URLs end up in logs)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, render_template, request

from bot.data_rights.export import export_for_phone
from bot.desk import db, desk_settings
from bot.desk.views import log, require_coordinateur
from bot.phones import to_e164
from bot.privacy.hashing import phone_hash

bp = Blueprint("privacy", __name__)


@bp.route("/donnees-personnelles", methods=["GET", "POST"])
def access_request():
    require_coordinateur()
    if request.method == "POST":
        e164 = to_e164(request.form.get("telephone", ""), desk_settings().sms_default_region)
        if e164 is None:
            flash("Ce numéro de téléphone n'est pas valide.", "error")
            return render_template("privacy.html", title="Données personnelles", available=True), 400
        key = desk_settings().hash_key
        data = export_for_phone(db(), e164, key)
        log("export", "personal_data", phone_hash(e164, key)[:12])
        db().commit()
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        return Response(
            body,
            mimetype="application/json; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="donnees-personnelles.json"'},
        )
    return render_template("privacy.html", title="Données personnelles", available=True)
