"""`core` is the ground floor: settings helpers, database engines, errors, middleware. It
imports none of the domain apps, so that every app may import it without running back up the
layers (the demo builder lives in its own app, the context processor beside `roles_of`)."""

import ast
from pathlib import Path

import attestation

ROOT = Path(attestation.__file__).resolve().parent
DOMAIN = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()} - {"core"}


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "attestation" and len(parts) > 1 and parts[1] in DOMAIN:
                found.add(parts[1])
    return found


def test_core_imports_no_domain_app():
    offenders = {
        str(path.relative_to(ROOT)): sorted(apps)
        for path in (ROOT / "core").rglob("*.py")
        if (apps := imported_apps(path))
    }
    assert offenders == {}


def test_the_layer_check_sees_a_domain_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from attestation.commissions.access import roles_of\n", encoding="utf-8")
    assert imported_apps(module) == {"commissions"}
