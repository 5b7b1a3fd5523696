"""`pyo3-pack upload` and `pyo3-pack publish`: argparse in, `upload` module out.

twine is imported only when one of these commands runs, so `pyo3-pack --help` stays fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .. import _process
from .wheel_options import add_wheel_options, configuration

#: publish builds release wheels unless pyproject.toml or --debug/--profile say otherwise
PUBLISH_DEFAULTS = {"cargo.profile": "release"}

if TYPE_CHECKING:
    from ..upload.upload import UploadOptions

    SubCommands = argparse._SubParsersAction[argparse.ArgumentParser]


def _add_registry_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("registry")
    group.add_argument("-r", "--repository-url", metavar="URL",
                       help="the registry's upload URL (default: the public index); a name "
                       "without `://` means a .pypirc section, as maturin's and twine's -r")
    group.add_argument("--repository", metavar="NAME",
                       help="a [NAME] section of the .pypirc file naming the registry")
    group.add_argument("--config-file", type=Path, metavar="PATH",
                       help="the .pypirc file (default: ~/.pypirc)")
    group.add_argument("--index-url", metavar="URL",
                       help="the registry's simple index, for --skip-existing "
                       "(default: derived from the upload URL)")
    group.add_argument("-u", "--username",
                       help="username (default: PYO3_PACK_USERNAME, TWINE_USERNAME, .pypirc, "
                       "keyring, prompt; __token__ on the public index)")
    group.add_argument("-p", "--password",
                       help="password or API token (default: PYO3_PACK_PASSWORD, PYO3_PACK_TOKEN, "
                       "TWINE_PASSWORD, .pypirc, keyring, prompt)")
    group.add_argument("--non-interactive", action="store_true",
                       help="never ask a keyring or prompt (implied by CI=1 or no terminal)")
    group.add_argument("--skip-existing", action="store_true",
                       help="skip files the registry already has")
    group.add_argument("--strict", action="store_true",
                       help="fail on check warnings too (such as a missing long description)")
    group.add_argument("--retries", type=int, metavar="N",
                       help="retries after a connection error or a 5xx answer (default: 3)")
    group.add_argument("--retry-delay", type=float, metavar="SECONDS",
                       help="delay before the first retry, doubled each time (default: "
                       "$PYO3_PACK_UPLOAD_RETRY_DELAY or 1)")
    # counted and without a default, like the global -v, so `pyo3-pack -v publish` counts too
    group.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                       help="log each request and the registry's answers (never passwords)")


#: Where maturin and twine users keep the registry choice, when no flag gives it.
ENV_REPOSITORY_URL = ("PYO3_PACK_REPOSITORY_URL", "MATURIN_REPOSITORY_URL", "TWINE_REPOSITORY_URL")
ENV_REPOSITORY = ("PYO3_PACK_REPOSITORY", "MATURIN_REPOSITORY", "TWINE_REPOSITORY")


def _registry_choice(url: str | None, name: str | None,
                     env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(upload URL, .pypirc section) from the flags, else the environment. maturin's and
    twine's `-r` names a section, ours takes a URL: a value without `://` is a section."""
    if url and "://" not in url and name is None:
        return None, url
    if url or name:
        return url, name
    env_url = next((env[n] for n in ENV_REPOSITORY_URL if env.get(n)), None)
    env_name = next((env[n] for n in ENV_REPOSITORY if env.get(n)), None)
    return env_url, env_name


def _upload_options(args: argparse.Namespace) -> UploadOptions:
    from ..upload.upload import UploadOptions, default_retry_delay

    defaults = UploadOptions()
    repository_url, repository = _registry_choice(args.repository_url, args.repository,
                                                  _process.environ())
    return UploadOptions(
        repository_url=repository_url,
        repository=repository,
        config_file=args.config_file,
        index_url=args.index_url,
        username=args.username,
        password=args.password,
        non_interactive=args.non_interactive,
        skip_existing=args.skip_existing,
        strict=args.strict,
        retries=max(0, args.retries) if args.retries is not None else defaults.retries,
        retry_delay=args.retry_delay if args.retry_delay is not None else default_retry_delay(),
        verbose=bool(getattr(args, "verbose", 0)),
    )


def _upload(args: argparse.Namespace) -> int:
    from ..upload.upload import Outcome, upload_files

    summary = upload_files([Path(f) for f in args.files], _upload_options(args))
    return 1 if summary.count(Outcome.FAILED) else 0


def _publish(args: argparse.Namespace) -> int:
    from ..project.project import load_project
    from ..upload import upload
    from ..upload.checks import check
    from .distributions import build_distributions

    options = _upload_options(args)
    target = upload.prepare(options)  # credentials before a long build, not after it
    project = load_project(configuration(args, defaults=PUBLISH_DEFAULTS))
    distributions = build_distributions(project, sdist=not args.no_sdist)
    checked = check(distributions, strict=options.strict)
    summary = upload.upload(target, checked, options)
    return 1 if summary.count(upload.Outcome.FAILED) else 0


def register(commands: SubCommands) -> None:
    """Add `upload` and `publish` to the `pyo3-pack` sub-commands."""
    upload = commands.add_parser(
        "upload", help="check and upload wheels and sdists to PyPI or another registry")
    upload.add_argument("files", nargs="+", metavar="FILE", help="wheels and sdists to upload")
    _add_registry_options(upload)
    upload.set_defaults(handler=_upload)

    publish = commands.add_parser(
        "publish", help="build release wheels and the sdist, check them, and upload them")
    add_wheel_options(publish, release_default=True)
    _add_registry_options(publish)
    publish.set_defaults(handler=_publish)
