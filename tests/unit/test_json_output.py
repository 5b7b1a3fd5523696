"""The `--json` documents against their published schemas (docs/schemas/)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest

from setuptools_pyo3pack.frontends import json_output
from setuptools_pyo3pack.install.develop import Developed
from tests.json_schemas import COMMANDS, SCHEMAS, schema
from tests.unit.helpers import make_interpreter


def _valid(document: object, command: str) -> None:
    # through a JSON round trip, as a reader of stdout gets it
    jsonschema.Draft202012Validator(schema(command)).validate(json.loads(json.dumps(document)))


@pytest.mark.parametrize("command", COMMANDS)
def test_every_schema_is_a_valid_json_schema(command: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(command))
    assert f"docs/schemas/{command}.json" in (SCHEMAS.parent / "json.md").read_text()


def _wheel(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(b"not really a zip")
    return path


def test_build_document(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path, "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
    abi3 = _wheel(tmp_path, "demo-1.0-cp38-abi3-linux_x86_64.whl")
    sdist = _wheel(tmp_path, "demo-1.0.tar.gz")
    document = json_output.build([(wheel, make_interpreter()), (abi3, None)], sdist)
    _valid(document, "build")
    first = document["wheels"][0]
    assert first["tags"] == ["cp312-cp312-manylinux_2_17_x86_64",
                             "cp312-cp312-manylinux2014_x86_64"]
    assert first["sha256"] == hashlib.sha256(b"not really a zip").hexdigest()
    assert (first["size"], first["interpreter"]["version"]) == (16, "3.12.4")
    assert document["wheels"][1]["interpreter"] is None
    assert document["sdist"]["name"] == "demo-1.0.tar.gz"
    assert json_output.build([(wheel, None)], None)["sdist"] is None
    _valid(json_output.sdist_document(sdist), "sdist")


def test_list_python_and_develop_documents(tmp_path: Path) -> None:
    found = [make_interpreter(), make_interpreter(version=(3, 13, 1), free_threaded=True)]
    document = json_output.list_python(found, [("/usr/bin/python2", "too old")])
    _valid(document, "list-python")
    assert [i["abi"] for i in document["interpreters"]] == ["cpython-3.12", "cpython-3.13t"]
    wheel = _wheel(tmp_path, "demo-1.0-cp312-cp312-linux_x86_64.whl")
    done = Developed("demo", "1.0", tmp_path / "venv", wheel, editable=False, installed=True)
    _valid(json_output.develop(done, found[0]), "develop")


def test_a_document_missing_a_field_fails_its_schema(tmp_path: Path) -> None:
    document = json_output.sdist_document(_wheel(tmp_path, "demo-1.0.tar.gz"))
    del document["sdist"]["sha256"]
    with pytest.raises(jsonschema.ValidationError):
        _valid(document, "sdist")
