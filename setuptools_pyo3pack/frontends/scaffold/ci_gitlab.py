"""The release pipeline as a GitLab CI file (`.gitlab-ci.yml`)."""

from __future__ import annotations

from typing import Any

from .ci import SCCACHE_ENV, SDIST_REQUIREMENT, TOOL_REQUIREMENT, Workflow, header
from .yaml_text import dump

PYTHON_IMAGE = "python:3.12-slim"
#: A Debian image with curl, for rustup, and a C compiler for build scripts.
BUILD_IMAGE = "python:3.12-bookworm"
RUSTUP = ("curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs"
          " | sh -s -- -y --profile minimal --target \"$TARGET\"")
#: Where rustup's cargo and uv's `python3.X` commands land.
PATH_EXPORT = 'export PATH="$HOME/.local/bin:$HOME/.cargo/bin:$PATH"'


def _wheels(workflow: Workflow) -> dict[str, Any]:
    matrix = [{"PLATFORM": job.name, "TARGET": job.triple, "BUILD": workflow.build_command(job)}
              for job in workflow.jobs]
    return {
        "stage": "build",
        "image": BUILD_IMAGE,
        "parallel": {"matrix": matrix},
        "before_script": [
            PATH_EXPORT,
            RUSTUP,
            f"python -m pip install uv '{TOOL_REQUIREMENT}'"
            + (" sccache" if workflow.sccache else ""),
            # the CPythons a build for this machine runs (a cross build only names them)
            "uv python install " + " ".join(workflow.all_pythons),
        ],
        "script": ["$BUILD"],
        "artifacts": {"name": "wheels-$PLATFORM", "paths": ["dist/"]},
    }


def _sdist(workflow: Workflow) -> dict[str, Any]:
    return {
        "stage": "build",
        "image": PYTHON_IMAGE,
        "script": [f"python -m pip install '{SDIST_REQUIREMENT}'", workflow.sdist_command()],
        "artifacts": {"paths": ["dist/"]},
    }


def _publish() -> dict[str, Any]:
    return {
        "stage": "publish",
        "image": PYTHON_IMAGE,
        "rules": [{"if": "$CI_COMMIT_TAG"}],
        "needs": ["wheels", "sdist"],
        # the index accepts this short-lived token (audience `pypi`) from a trusted publisher
        # in place of a stored password; uv finds it by this variable name
        "id_tokens": {"PYPI_ID_TOKEN": {"aud": "pypi"}},
        "script": ["python -m pip install uv",
                   "uv publish --trusted-publishing always dist/*"],
    }


def render(workflow: Workflow) -> str:
    variables: dict[str, Any] = {"PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    document: dict[str, Any] = {"stages": ["build", "publish"], "variables": variables}
    if workflow.sccache:
        variables.update(SCCACHE_ENV, SCCACHE_DIR="$CI_PROJECT_DIR/.sccache")
    wheels = _wheels(workflow)
    if workflow.sccache:
        wheels["cache"] = {"key": "sccache-$PLATFORM", "paths": [".sccache/"]}
    document.update(wheels=wheels, sdist=_sdist(workflow), publish=_publish())
    return header("gitlab", workflow) + dump(document)
