"""The release workflow as a GitHub Actions file (`.github/workflows/CI.yml`)."""

from __future__ import annotations

from typing import Any

from .ci import SCCACHE_ENV, SDIST_REQUIREMENT, TOOL_REQUIREMENT, Workflow, header
from .yaml_text import dump

CHECKOUT = {"uses": "actions/checkout@v4"}
ON_TAG = "startsWith(github.ref, 'refs/tags/')"


def _setup_python(versions: tuple[str, ...]) -> dict[str, Any]:
    # several versions in one step: each one's python3.X lands on PATH
    wanted = "\n".join(versions) if len(versions) > 1 else versions[0]
    return {"uses": "actions/setup-python@v5", "with": {"python-version": wanted}}


def _wheels(workflow: Workflow) -> dict[str, Any]:
    entries = [{"name": job.name, "target": job.triple,
                "build": workflow.build_command(job)} for job in workflow.jobs]
    steps: list[dict[str, Any]] = [
        CHECKOUT,
        _setup_python(workflow.all_pythons),
        {"name": "Rust target", "run": "rustup target add ${{ matrix.platform.target }}"},
    ]
    if workflow.sccache:
        steps.append({"name": "sccache", "uses": "mozilla-actions/sccache-action@v0.0.9"})
    steps += [
        {"name": "Install pyo3-pack", "run": f"python -m pip install '{TOOL_REQUIREMENT}'"},
        {"name": "Build wheels", "run": "${{ matrix.platform.build }}"},
        {"uses": "actions/upload-artifact@v4",
         "with": {"name": "wheels-${{ matrix.platform.name }}", "path": "dist"}},
    ]
    return {
        "name": "wheels (${{ matrix.platform.name }})",
        "runs-on": "ubuntu-latest",
        "strategy": {"fail-fast": False, "matrix": {"platform": entries}},
        "steps": steps,
    }


def _sdist(workflow: Workflow) -> dict[str, Any]:
    return {
        "runs-on": "ubuntu-latest",
        "steps": [
            CHECKOUT,
            _setup_python(workflow.all_pythons[-1:]),
            {"name": "Install pyo3-pack", "run": f"python -m pip install '{SDIST_REQUIREMENT}'"},
            {"name": "Build the sdist", "run": workflow.sdist_command()},
            {"uses": "actions/upload-artifact@v4", "with": {"name": "sdist", "path": "dist"}},
        ],
    }


def _publish() -> dict[str, Any]:
    return {
        "name": "publish",
        "needs": ["wheels", "sdist"],
        "if": ON_TAG,
        "runs-on": "ubuntu-latest",
        # the trusted publisher names this environment; id-token lets the job ask for the
        # short-lived token the index exchanges for an upload credential
        "environment": "pypi",
        "permissions": {"id-token": "write"},
        "steps": [
            {"uses": "actions/download-artifact@v4",
             "with": {"path": "dist", "merge-multiple": True}},
            {"uses": "pypa/gh-action-pypi-publish@release/v1",
             "with": {"packages-dir": "dist"}},
        ],
    }


def render(workflow: Workflow) -> str:
    document: dict[str, Any] = {
        "name": "CI",
        "on": {
            "push": {"branches": ["main", "master"], "tags": ["*"]},
            "pull_request": {},
            "workflow_dispatch": {},
        },
        "permissions": {"contents": "read"},
    }
    if workflow.sccache:
        document["env"] = {**SCCACHE_ENV, "SCCACHE_GHA_ENABLED": "true"}
    document["jobs"] = {"wheels": _wheels(workflow), "sdist": _sdist(workflow),
                        "publish": _publish()}
    return header("github", workflow) + dump(document)
