"""The console's compiled templates: current with their sources, loaded at a cold start, and never stale."""

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONSOLE = ROOT / "functions" / "console"


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def kit(monkeypatch):
    monkeypatch.syspath_prepend(str(CONSOLE))
    import console_kit

    console_kit._environment.cache_clear()
    yield console_kit
    console_kit._environment.cache_clear()


def test_the_committed_compiled_templates_are_what_the_sources_compile_to(tmp_path):
    build = _module("build_console_templates", ROOT / "infra" / "build_console_templates.py")
    build.compile_into(tmp_path / "compiled")
    fresh = {p.name: p.read_bytes() for p in (tmp_path / "compiled").iterdir()}
    committed = {p.name: p.read_bytes() for p in (CONSOLE / "compiled").iterdir() if p.is_file()}
    assert fresh.keys() == committed.keys(), "run `make console-templates` and commit functions/console/compiled"
    stale = sorted(name for name in fresh if fresh[name] != committed[name])
    assert not stale, f"run `make console-templates`: {stale} differ from what the templates compile to"
    assert len([n for n in fresh if n.startswith("tmpl_")]) == len(list((CONSOLE / "templates").glob("*.html")))


def test_a_cold_start_loads_the_compiled_pages_not_the_sources(kit, tmp_path, monkeypatch):
    # Given a source only in templates/, and a manifest that matches them (the comparison stubbed to say so)
    from jinja2 import TemplateNotFound

    sources = tmp_path / "templates"
    shutil.copytree(CONSOLE / "templates", sources)
    (sources / "nova.html").write_text("Olá", encoding="utf-8")
    monkeypatch.setattr(kit, "TEMPLATES", sources)
    monkeypatch.setattr(kit, "template_manifest", lambda templates: kit.compiled_manifest(kit.COMPILED))
    environment = kit._environment()
    # Then the pages come from the compiled modules: a page is there, the source-only one is not
    assert environment.get_template("sem_permissao.html").name == "sem_permissao.html"
    with pytest.raises(TemplateNotFound):
        environment.get_template("nova.html")


def test_an_edited_template_is_served_from_its_source_until_it_is_compiled_again(kit, tmp_path, monkeypatch, caplog):
    # Given the templates edited under `make dev` (a page added) without `make console-templates`
    edited = tmp_path / "templates"
    shutil.copytree(CONSOLE / "templates", edited)
    (edited / "nova.html").write_text("Olá, {{ nome }}!", encoding="utf-8")
    monkeypatch.setattr(kit, "TEMPLATES", edited)
    # When a page is rendered, Then it comes from the sources, escaped as every page is, and the log says why
    html = kit._environment().get_template("nova.html").render(nome="<b>Ana</b>")
    assert html == "Olá, &lt;b&gt;Ana&lt;/b&gt;!"
    assert "make console-templates" in caplog.text
