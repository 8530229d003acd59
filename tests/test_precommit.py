"""The pre-commit hook, run as pre-commit runs it (slow: it installs leaflet into a new env)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CONTENT, ROOT


@pytest.mark.slow
def test_the_hook_checks_content_through_pre_commit_try_repo(tmp_path: Path) -> None:
    if shutil.which("pre-commit") is None and not (Path(ROOT) / ".venv/bin/pre-commit").exists():
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    tool = shutil.which("pre-commit") or str(Path(ROOT) / ".venv/bin/pre-commit")
    repo = tmp_path / "clinic"
    repo.mkdir()
    shutil.copy(CONTENT, repo / "content.yaml")
    shutil.copytree(ROOT / "assets", repo / "assets")
    git = ["git", "-c", "user.email=ci@example.org", "-c", "user.name=ci"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "content"], cwd=repo, check=True)
    run = [tool, "try-repo", str(ROOT), "leaflet-check", "--all-files"]
    passed = subprocess.run(run, cwd=repo, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "leaflet check" in passed.stdout and "Passed" in passed.stdout
    text = (repo / "content.yaml").read_text().replace('version: "1.0"', "version: one")
    (repo / "content.yaml").write_text(text)
    failed = subprocess.run(run, cwd=repo, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "'one' is not a version number" in failed.stdout
