"""A PEP 517 / PEP 660 build backend for this one package, with the standard library only.

It reads the [project] table of pyproject.toml (flat `key = "string"` lines, which is all it holds) and
packs src/ratchet_client into a pure-Python wheel (or a source archive). Kept this small on purpose:
setuptools would do the same, but installing it inside pip's isolated build needs a package index.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "ratchet_client"
# Reproducible archives: the same sources make the same bytes (zip cannot store dates before 1980).
EPOCH = (1980, 1, 1, 0, 0, 0)


def _project() -> dict[str, str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if not section:
        raise RuntimeError("pyproject.toml has no [project] table")
    return dict(re.findall(r'^([A-Za-z-]+)\s*=\s*"([^"]*)"\s*$', section.group(1), re.M))


def _dist_name(project: dict[str, str]) -> str:
    return re.sub(r"[-_.]+", "_", project["name"]).lower()


def _metadata(project: dict[str, str]) -> str:
    readme = (ROOT / project.get("readme", "README.md")).read_text(encoding="utf-8")
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {project['name']}\n"
        f"Version: {project['version']}\n"
        f"Summary: {project.get('description', '')}\n"
        f"Requires-Python: {project.get('requires-python', '>=3.10')}\n"
        "Classifier: Programming Language :: Python :: 3\n"
        "Classifier: Typing :: Typed\n"
        "Description-Content-Type: text/markdown\n"
        "\n"
        f"{readme}"
    )


def _package_files() -> list[Path]:
    source = ROOT / "src" / PACKAGE
    return sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(directory: str, files: dict[str, bytes]) -> str:
    project = _project()
    dist = _dist_name(project)
    info = f"{dist}-{project['version']}.dist-info"
    files = {
        **files,
        f"{info}/METADATA": _metadata(project).encode("utf-8"),
        f"{info}/WHEEL": (b"Wheel-Version: 1.0\nGenerator: ratchet_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
    }
    record = [_record_line(name, data) for name, data in files.items()] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    wheel_name = f"{dist}-{project['version']}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, EPOCH)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(entry, data)
    return wheel_name


# PEP 517 hooks ---------------------------------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings: object = None) -> list[str]:
    return []


def get_requires_for_build_sdist(config_settings: object = None) -> list[str]:
    return []


def get_requires_for_build_editable(config_settings: object = None) -> list[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: object = None, metadata_directory: object = None) -> str:
    source = ROOT / "src"
    return _write_wheel(wheel_directory, {p.relative_to(source).as_posix(): p.read_bytes() for p in _package_files()})


def build_editable(wheel_directory: str, config_settings: object = None, metadata_directory: object = None) -> str:
    """`pip install -e`: a .pth file that puts src/ on the path, so edits take effect without reinstalling."""
    return _write_wheel(wheel_directory, {f"_{PACKAGE}_editable.pth": f"{ROOT / 'src'}\n".encode()})


def build_sdist(sdist_directory: str, config_settings: object = None) -> str:
    project = _project()
    base = f"{_dist_name(project)}-{project['version']}"
    name = f"{base}.tar.gz"
    members = [ROOT / "pyproject.toml", ROOT / "README.md", ROOT / "build_backend" / "ratchet_build.py"]
    members += _package_files()
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as archive:
        for path in members:
            archive.add(path, arcname=f"{base}/{path.relative_to(ROOT).as_posix()}", recursive=False)
        pkg_info = _metadata(project).encode("utf-8")
        entry = tarfile.TarInfo(f"{base}/PKG-INFO")
        entry.size = len(pkg_info)
        archive.addfile(entry, io.BytesIO(pkg_info))
    return name
