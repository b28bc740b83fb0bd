"""The deployment files stay consistent with the code (no Docker engine or cluster
needed): every process they start is a real `python -m bot` command, every setting
they name exists, and the scale-out pieces (Redis lock store, per-request load
balancing without affinity, probes, autoscaler, jobs) are all there."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.cli import COMMANDS
from bot.settings import DEFAULTS, ROOT
from bot.yaml_files import load_yaml

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"


def compose() -> dict:
    return load_yaml((DEPLOY / "compose.yml").read_text())


def k8s_documents() -> list[dict]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d and "metadata" in d]
    return docs


def env_names(path: Path) -> set[str]:
    lines = [line for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    return {line.split("=", 1)[0] for line in lines}


def pod_specs(doc: dict) -> list[dict]:
    spec = doc.get("spec", {})
    if doc["kind"] in ("Deployment", "Job"):
        return [spec["template"]["spec"]]
    if doc["kind"] == "CronJob":
        return [spec["jobTemplate"]["spec"]["template"]["spec"]]
    return []


def test_compose_runs_two_rasa_instances_on_postgres_and_redis_behind_tls():
    services = compose()["services"]
    for name in (
        "rasa1",
        "rasa2",
        "actions",
        "desk",
        "web",
        "postgres",
        "redis",
        "proxy",
        "reminders",
        "purge",
        "migrate",
    ):
        assert name in services, name
    for name in ("rasa1", "rasa2"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://") and env["REDIS_URL"].startswith("redis://")
        assert services[name]["command"] == ["serve", "rasa"]
    assert "python -m bot db upgrade && python -m bot places load" in services["migrate"]["command"][0]
    caddy = (DEPLOY / "Caddyfile").read_text()
    assert "reverse_proxy rasa1:5005 rasa2:5005 {" in caddy and "health_uri /" in caddy
    # Each request to any instance: no socket.io route, no affinity of any kind.
    policies = {line.split()[1] for line in caddy.splitlines() if line.strip().startswith("lb_policy")}
    assert policies and policies <= {"least_conn", "round_robin", "random", "least_requests"}, policies
    assert "socket.io" not in caddy and "ip_hash" not in caddy and "cookie" not in caddy
    # Only the channels that screen what they receive are published, not Rasa's plain REST one.
    assert (
        "@webhooks path /webhooks/web/* /webhooks/twilio_sms/* /webhooks/twilio_voice/*" in caddy
        and "/webhooks/*" not in caddy
    )


def test_every_process_is_a_real_cli_command():
    """Our images' entrypoint is `python -m bot`: their arguments start with a command."""
    ours = ("${REGISTRY", "aidenum/")
    commands = [
        s["command"] for s in compose()["services"].values() if s["image"].startswith(ours) and "entrypoint" not in s
    ]
    commands += [
        c["args"]
        for doc in k8s_documents()
        for pod in pod_specs(doc)
        for c in pod["containers"]
        if c["image"].startswith(ours) and "command" not in c
    ]
    assert len(commands) >= 15
    for command in commands:
        assert command[0] in COMMANDS, command
    migrations = [s["command"][0] for s in compose()["services"].values() if "entrypoint" in s]
    migrations += [
        c["args"][0] for doc in k8s_documents() for pod in pod_specs(doc) for c in pod["containers"] if "command" in c
    ]
    assert len(migrations) == 2 and len(set(migrations)) == 1


def test_settings_named_by_the_deployment_exist():
    for path in (K8S / "config.env", K8S / "secrets.env.example"):
        assert env_names(path) <= set(DEFAULTS), env_names(path) - set(DEFAULTS)
    for name in ("rasa1", "desk"):
        assert set(compose()["services"][name]["environment"]) <= set(DEFAULTS)


def test_no_socketio_channel_nor_affinity():
    """The widget and Twilio use REST webhooks (README, "Why REST and not socket.io"):
    no socket.io channel in Rasa, no /socket.io route, no sticky sessions anywhere."""
    credentials = load_yaml((ROOT / "bot" / "credentials.yml").read_text())
    assert "socketio" not in credentials and "rest" not in credentials
    assert "bot.rest_channel.OptionalRestInput" in credentials  # off unless RASA_REST_CHANNEL=true
    assert "bot.web.channel.WebInput" in credentials
    assert not (DEPLOY / "check-socketio.py").exists()
    docs = {(d["kind"], d["metadata"]["name"]): d for d in k8s_documents()}
    assert "sessionAffinity" not in docs[("Service", "rasa")]["spec"]
    for (kind, name), doc in docs.items():
        if kind == "Ingress":
            annotations = doc["metadata"].get("annotations", {})
            assert not [
                a for a in annotations if "affinity" in a or "session-cookie" in a or "upstream-hash-by" in a
            ], name
            paths = [p["path"] for rule in doc["spec"]["rules"] for p in rule["http"]["paths"]]
            assert "/socket.io" not in paths, name
    assistant = docs[("Ingress", "assistant")]["spec"]["rules"][0]["http"]["paths"]
    assert {p["path"]: p["backend"]["service"]["name"] for p in assistant} == {
        "/webhooks/web": "rasa",
        "/webhooks/twilio_sms": "rasa",
        "/webhooks/twilio_voice": "rasa",
        "/": "web",
    }


def test_kubernetes_probes_autoscaler_and_jobs():
    docs = {(d["kind"], d["metadata"]["name"]): d for d in k8s_documents()}
    for (kind, name), doc in docs.items():
        if kind == "Deployment":
            for container in pod_specs(doc)[0]["containers"]:
                assert "readinessProbe" in container and "livenessProbe" in container, name
    assert docs[("HorizontalPodAutoscaler", "rasa")]["spec"]["scaleTargetRef"]["name"] == "rasa"
    assert docs[("CronJob", "reminders")]["spec"]["schedule"] == "*/5 * * * *"
    assert docs[("CronJob", "purge")]["spec"]["schedule"].endswith("* * *")
    assert ("Job", "migrate") in docs
    kustomization = load_yaml((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}


def test_two_sanic_workers_only_where_the_redis_lock_store_is_set():
    """Each Rasa instance runs 2 Sanic workers (SANIC_WORKERS), which bot/rasa_stores.py
    allows only with REDIS_URL: compose sets both in the same `environment` (which wins
    over deploy/.env), Kubernetes in the Deployment and the ConfigMap it reads."""
    services = compose()["services"]
    for name, service in services.items():
        env = service.get("environment") or {}
        if name in ("rasa1", "rasa2"):
            assert env["SANIC_WORKERS"] == "2" and env["REDIS_URL"].startswith("redis://"), name
            health = service["healthcheck"]
            assert health["start_period"] == "60s" and health["interval"] == "5s", name
            assert service["read_only"] is True and service["tmpfs"] == ["/tmp"], name
        else:
            assert int(env.get("SANIC_WORKERS", 1)) == 1, name
    docs = {(d["kind"], d["metadata"]["name"]): d for d in k8s_documents()}
    rasa = pod_specs(docs[("Deployment", "rasa")])[0]["containers"][0]
    assert {"name": "SANIC_WORKERS", "value": "2"} in rasa["env"]
    config = env_names(K8S / "config.env")
    assert "REDIS_URL" in config and "SANIC_WORKERS" not in config
    redis_url = dict(
        line.split("=", 1) for line in (K8S / "config.env").read_text().splitlines() if line.startswith("REDIS_URL=")
    )["REDIS_URL"]
    assert redis_url.startswith("redis://")
    # One core and ~500 MB per worker; the model loads in ~12 s, the startup probe allows 2 minutes.
    assert rasa["resources"]["requests"] == {"cpu": "2", "memory": "1200Mi"}
    assert rasa["resources"]["limits"]["cpu"] == "2" and rasa["resources"]["limits"]["memory"] == "1536Mi"
    startup = rasa["startupProbe"]
    assert 60 <= startup["periodSeconds"] * startup["failureThreshold"] <= 300
    assert rasa["readinessProbe"]["periodSeconds"] <= 10
    # As deploy/check.sh runs it: a read-only filesystem but /tmp, where the model is unpacked.
    assert rasa["securityContext"]["readOnlyRootFilesystem"] is True
    assert rasa["volumeMounts"] == [{"name": "tmp", "mountPath": "/tmp"}]


def test_images_carry_the_nlu_cache_and_build_anywhere():
    """The model stage loads the trained model once, which writes the NLU's compiled-pattern
    cache (bot/nlu/french.py) in var/cache/, the default NLU_CACHE_DIR; the assistant image
    carries it. The default base and the spaCy model's source stay the public ones, and
    deploy/check.sh overrides them with build arguments only."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "ARG PYTHON=python:3.10-slim-bookworm" in dockerfile
    model_stage = dockerfile[dockerfile.index("AS model") : dockerfile.index("AS assistant")]
    assert "python -m bot rasa train" in model_stage and "python -m bot classify" in model_stage
    assert "COPY --from=model --chown=aidenum /app/var/cache/ /app/var/cache/" in dockerfile
    assert "ARG SPACY_MODEL_URL=https://github.com/explosion/spacy-models/releases/download/" in dockerfile
    assert "ARG PIP_CA_BUNDLE=\n" in dockerfile  # empty by default: nothing of the check's machine
    check = (DEPLOY / "check.sh").read_text()
    assert "--build-arg PIP_CA_BUNDLE=" in check and '"SPACY_MODEL_URL=$SPACY_MODEL_URL"' in check
    assert "--network host" in check and "docker pull" not in check
    makefile = (ROOT / "Makefile").read_text()
    assert "\ndeploy-check:\n\tbash deploy/check.sh\n" in makefile


def test_production_everywhere_and_the_action_server_reachable_by_rasa_only():
    services = compose()["services"]
    assert compose()["networks"]["actions"] == {"internal": True}
    assert set(services["actions"]["networks"]) == {"actions", "actions-data"}
    for name, service in services.items():
        if "actions" in service.get("networks", []) and name != "actions":
            assert name in ("rasa1", "rasa2"), name
        if name not in ("postgres", "redis", "proxy"):
            assert service["environment"]["APP_ENV"] == "production", name
    assert "edge" in services["proxy"]["networks"] and "edge" not in services["actions"]["networks"]
    assert str(services["desk"]["environment"]["TRUSTED_PROXIES"]) == "1"
    config = dict(
        line.split("=", 1)
        for line in (K8S / "config.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert config["APP_ENV"] == "production" and config["TRUSTED_PROXIES"] == "1"
    assert "ACTION_SERVER_TOKEN" in env_names(K8S / "secrets.env.example")
    assert "MODEL_SERVER_TOKEN" in env_names(K8S / "secrets.env.example")
    policy = {(d["kind"], d["metadata"]["name"]): d for d in k8s_documents()}[
        ("NetworkPolicy", "actions-from-rasa-only")
    ]["spec"]
    assert policy["podSelector"] == {"matchLabels": {"app": "actions"}}
    assert policy["ingress"] == [
        {"from": [{"podSelector": {"matchLabels": {"app": "rasa"}}}], "ports": [{"protocol": "TCP", "port": 5055}]}
    ]
    # The model server too: only Rasa pulls the model in service (README, "Retraining").
    model = {(d["kind"], d["metadata"]["name"]): d for d in k8s_documents()}[
        ("NetworkPolicy", "model-server-from-rasa-only")
    ]["spec"]
    assert model["podSelector"] == {"matchLabels": {"app": "retrain"}}
    assert model["ingress"] == [
        {"from": [{"podSelector": {"matchLabels": {"app": "rasa"}}}], "ports": [{"protocol": "TCP", "port": 5056}]}
    ]
    assert services["retrain"]["command"] == ["retrain", "--worker"]
    assert services["rasa1"]["environment"]["MODEL_SERVER_URL"] == "http://retrain:5056/model"
    assert config["MODEL_SERVER_URL"] == "http://retrain:5056/model"
    assert "APP_ENV=production" in (DEPLOY / "Dockerfile").read_text()


DESK_IMAGE_PROCESSES = {"desk", "web", "reminders", "waitlist", "notify", "purge", "webhooks"}
RASA_IMAGE_PROCESSES = {"rasa1", "rasa2", "rasa", "actions", "migrate", "retrain"}


def test_the_desk_web_and_jobs_run_from_the_small_python_312_image():
    """Rasa 3.6 keeps Python 3.10 to the Rasa server and the action server (and the migration
    one-shot, which also makes Rasa's tracker-store table); the desk, the web page and the jobs
    run from the `desk` image: python:3.12-slim, requirements-desk.txt, no Rasa, no model."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "ARG DESK_PYTHON=python:3.12-slim-bookworm" in dockerfile
    deps_at, desk_at = (
        dockerfile.index("FROM ${DESK_PYTHON} AS desk-deps"),
        dockerfile.index("FROM ${DESK_PYTHON} AS desk\n"),
    )
    desk_deps, desk = dockerfile[deps_at:desk_at], dockerfile[desk_at : dockerfile.index("AS deps")]
    assert "COPY requirements-desk.txt requirements-desk.lock /tmp/" in desk_deps
    assert "-r /tmp/requirements-desk.txt -c /tmp/requirements-desk.lock && pip check" in desk_deps
    assert "requirements.txt" not in desk_deps + desk and "actions/" not in desk and "model" not in desk
    assert "COPY --from=desk-deps /opt/venv /opt/venv" in desk and "USER aidenum" in desk
    assert 'CMD ["serve", "desk", "--host", "0.0.0.0"]' in desk
    # Before Rasa's stages: the legacy builder builds the desk without Rasa's dependencies.
    assert dockerfile.index("AS desk\n") < dockerfile.index("AS deps") < dockerfile.index("AS assistant")
    assert {".venv", ".venv-desk"} <= set((ROOT / ".dockerignore").read_text().splitlines())  # not in the context
    check = (DEPLOY / "check.sh").read_text()
    assert '--build-arg "DESK_PYTHON=$DESK_BASE_IMAGE"' in check and "without Rasa, with gunicorn" in check

    images = {name: service["image"] for name, service in compose()["services"].items()}
    for name in DESK_IMAGE_PROCESSES:
        assert images[name] == "${REGISTRY:-aidenum}/desk:${TAG:-latest}", name
        assert compose()["services"][name]["build"]["target"] == "desk", name
    for name in RASA_IMAGE_PROCESSES & set(images):
        assert images[name] == "${REGISTRY:-aidenum}/assistant:${TAG:-latest}", name
    k8s = {}
    for doc in k8s_documents():
        for pod in pod_specs(doc):
            for container in pod["containers"]:
                k8s[container["name"]] = container["image"]
    assert {name for name, image in k8s.items() if image == "aidenum/desk"} == DESK_IMAGE_PROCESSES
    assert {name for name, image in k8s.items() if image == "aidenum/assistant"} == RASA_IMAGE_PROCESSES & set(k8s)


def test_the_desk_and_the_web_page_run_under_gunicorn_everywhere():
    """`serve desk|web` is gunicorn (bot/wsgi_server.py); `--dev` (Werkzeug) appears nowhere
    in the Procfile, compose or Kubernetes; gunicorn is pinned for the desk's runtime."""
    commands = [compose()["services"][name]["command"] for name in ("desk", "web")]
    commands += [
        c["args"]
        for doc in k8s_documents()
        for pod in pod_specs(doc)
        for c in pod["containers"]
        if c["name"] in ("desk", "web")
    ]
    procfile = (ROOT / "Procfile").read_text()
    commands += [line.split()[4:] for line in procfile.splitlines() if line.startswith(("desk:", "web:"))]
    assert len(commands) == 6
    for command in commands:
        assert command[:2] in (["serve", "desk"], ["serve", "web"]) and "--dev" not in command, command
    assert "gunicorn==" in (ROOT / "requirements-desk.txt").read_text()
