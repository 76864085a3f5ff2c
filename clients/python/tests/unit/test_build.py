"""The in-tree build backend: `pip install ./clients/python` must produce a complete, typed, valid wheel."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import sys
import tempfile
import unittest
import zipfile
from pathlib import Path

import support  # noqa: F401  (this checkout's client on the path)

ROOT = Path(__file__).resolve().parents[2]


def backend():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("ratchet_build", ROOT / "build_backend" / "ratchet_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Wheel(unittest.TestCase):
    def test_the_wheel_holds_every_module_the_type_marker_and_metadata_matching_pyproject(self) -> None:
        with tempfile.TemporaryDirectory() as out:
            name = backend().build_wheel(out)
            with zipfile.ZipFile(Path(out) / name) as wheel:
                names = set(wheel.namelist())
                sources = {p.name for p in (ROOT / "src" / "ratchet_client").glob("*.py")}
                self.assertEqual(
                    {n.split("/")[1] for n in names if n.startswith("ratchet_client/") and n.endswith(".py")}, sources
                )
                self.assertIn("ratchet_client/py.typed", names)
                metadata = wheel.read("ratchet_client-0.1.0.dist-info/METADATA").decode()
                if sys.version_info >= (3, 11):
                    import tomllib

                    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
                    self.assertEqual(name, f"ratchet_client-{project['version']}-py3-none-any.whl")
                    self.assertIn(f"Name: {project['name']}\n", metadata)
                    self.assertIn(f"Requires-Python: {project['requires-python']}\n", metadata)
                # RECORD lists every file with its true hash, or pip refuses the wheel.
                record = wheel.read("ratchet_client-0.1.0.dist-info/RECORD").decode().splitlines()
                for line in record:
                    path, digest, size = line.rsplit(",", 2)
                    self.assertIn(path, names)
                    if digest:
                        data = wheel.read(path)
                        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                        self.assertEqual(digest, f"sha256={expected}")
                        self.assertEqual(int(size), len(data))
                self.assertEqual(len(record), len(names))

    def test_the_package_version_is_the_one_pyproject_declares(self) -> None:
        import ratchet_client

        self.assertEqual(backend()._project()["version"], ratchet_client.__version__)


if __name__ == "__main__":
    unittest.main()
