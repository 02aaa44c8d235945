"""Compile the console's Jinja2 templates into ``functions/console/compiled/`` (``make console-templates``;
committed, ``tests/unit/test_console_templates.py`` checks they are current).

The pages' environment (``console_kit.environment``: its filters, autoescape and whitespace options) compiles each
``templates/*.html`` into a Python module, as Jinja2's ``ModuleLoader`` loads them, and ``manifest.json`` records
what they were compiled from (each source's SHA-256 and Jinja2's version): a cold start then loads the modules
instead of parsing and generating code, and falls back to the sources whenever the manifest does not match.
"""

import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSOLE = ROOT / "functions" / "console"


def compile_into(target: Path) -> None:
    """Write the compiled templates and their manifest into ``target`` (emptied first)."""
    sys.path.insert(0, str(CONSOLE))
    try:
        import console_kit
    finally:
        sys.path.remove(str(CONSOLE))
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    console_kit.environment(compiled=False).compile_templates(str(target), zip=None, ignore_errors=False)
    manifest = console_kit.template_manifest(console_kit.TEMPLATES)
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "compiled"
        compile_into(fresh)
        target = CONSOLE / "compiled"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(fresh, target)
    print(f"wrote {target.relative_to(ROOT)}: {len(list(target.glob('tmpl_*.py')))} templates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
