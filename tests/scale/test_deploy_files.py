"""The deployment files stay consistent with the code (no Docker engine or cluster
needed): every process they start is a real `python -m bot` command, every setting
they name exists, and the scale-out pieces (Redis lock store, sticky sessions,
probes, autoscaler, jobs) are all there."""
from __future__ import annotations

from pathlib import Path

import yaml

from bot.cli import COMMANDS
from bot.settings import DEFAULTS, ROOT

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yml").read_text())


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
    for name in ("rasa1", "rasa2", "actions", "desk", "web", "postgres", "redis", "proxy",
                 "reminders", "purge", "migrate"):
        assert name in services, name
    for name in ("rasa1", "rasa2"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://") and env["REDIS_URL"].startswith("redis://")
        assert services[name]["command"] == ["serve", "rasa"]
    assert "python -m bot db upgrade && python -m bot places load" in services["migrate"]["command"][0]
    caddy = (DEPLOY / "Caddyfile").read_text()
    assert "rasa1:5005 rasa2:5005" in caddy and "lb_policy ip_hash" in caddy and "/socket.io/*" in caddy


def test_every_process_is_a_real_cli_command():
    """Our images' entrypoint is `python -m bot`: their arguments start with a command."""
    ours = ("${REGISTRY", "aidenum/")
    commands = [s["command"] for s in compose()["services"].values()
                if s["image"].startswith(ours) and "entrypoint" not in s]
    commands += [c["args"] for doc in k8s_documents() for pod in pod_specs(doc) for c in pod["containers"]
                 if c["image"].startswith(ours) and "command" not in c]
    assert len(commands) >= 15
    for command in commands:
        assert command[0] in COMMANDS, command
    migrations = [s["command"][0] for s in compose()["services"].values() if "entrypoint" in s]
    migrations += [c["args"][0] for doc in k8s_documents() for pod in pod_specs(doc)
                   for c in pod["containers"] if "command" in c]
    assert len(migrations) == 2 and len(set(migrations)) == 1


def test_settings_named_by_the_deployment_exist():
    for path in (K8S / "config.env", K8S / "secrets.env.example"):
        assert env_names(path) <= set(DEFAULTS), env_names(path) - set(DEFAULTS)
    for name in ("rasa1", "desk"):
        assert set(compose()["services"][name]["environment"]) <= set(DEFAULTS)


def test_kubernetes_probes_affinity_autoscaler_and_jobs():
    docs = {(d["kind"], d["metadata"]["name"]): d for d in k8s_documents()}
    for (kind, name), doc in docs.items():
        if kind == "Deployment":
            for container in pod_specs(doc)[0]["containers"]:
                assert "readinessProbe" in container and "livenessProbe" in container, name
    assert docs[("Service", "rasa")]["spec"]["sessionAffinity"] == "ClientIP"
    assert docs[("HorizontalPodAutoscaler", "rasa")]["spec"]["scaleTargetRef"]["name"] == "rasa"
    assert docs[("Ingress", "assistant")]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert docs[("CronJob", "reminders")]["spec"]["schedule"] == "*/5 * * * *"
    assert docs[("CronJob", "purge")]["spec"]["schedule"].endswith("* * *")
    assert ("Job", "migrate") in docs
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
