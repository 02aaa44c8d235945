"""What ``sam deploy`` would upload is complete: each handler imports from the built artifact alone.

``make package`` builds into a temporary directory (a developer's ``.aws-sam/build`` is left alone) and runs
``infra/package_check.py`` on it; the tests below then check each template function and the layer one by
one, with the same helpers, so a failure names the function or package at fault. The handler import runs in
a fresh ``python -I -S -B`` whose ``sys.path`` is the built function dir, the built layer's ``python/``, a
stand-in for the Lambda runtime's boto3/botocore, and the standard library: not this virtualenv.
"""

import dataclasses
import fcntl
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "template.yaml"

pytestmark = [pytest.mark.package, pytest.mark.xdist_group("package")]

# The layer is imported on every cold start; this is a budget, far under Lambda's 250 MiB limit.
LAYER_BUDGET_BYTES = 40 * 1024 * 1024
# The functions DESIGN.md requires; everything else is read from the template.
REQUIRED_CODE_DIRS = {"catalog_api", "order_webhook", "stock_sync", "payout"}


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("package_check", ROOT / "infra" / "package_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    return module


pc = _load_checker()
TEMPLATE_FUNCTIONS = sorted(
    logical_id
    for logical_id, resource in pc.load_template(TEMPLATE)["Resources"].items()
    if resource["Type"] == pc.SERVERLESS_FUNCTION
)


@dataclasses.dataclass
class Build:
    returncode: int
    output: str
    seconds: float
    artifact: object  # package_check.Artifact

    def function(self, logical_id: str):
        found = [f for f in self.artifact.functions if f.logical_id == logical_id]
        assert found, f"{logical_id} is not in the build: {self.artifact.problems}"
        return found[0]

    @property
    def core_layer(self):
        assert len(self.artifact.layers) == 1, f"expected one layer, got {sorted(self.artifact.layers)}"
        return next(iter(self.artifact.layers.values()))


def _make_package(build_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    started = time.monotonic()
    completed = subprocess.run(
        ["make", "--no-print-directory", "package", f"PACKAGE_DIR={build_dir}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return {
        "returncode": completed.returncode,
        "output": completed.stdout + completed.stderr,
        "seconds": time.monotonic() - started,
    }


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    # One build per test session, whichever xdist worker gets here first; the others wait and reuse it.
    # (The xdist_group mark should already keep this module on one worker, but with pytest 9.2 and
    # pytest-xdist 3.8 --dist loadgroup silently ignores it: pytest-dev/pytest-xdist#1386.)
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "package"
    shared.mkdir(exist_ok=True)
    # sam writes build.toml beside the build dir, so the build dir gets a parent of its own.
    build_dir = shared / "aws-sam" / "build"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result_file = shared / "make-package.json"
        if not result_file.exists():
            result_file.write_text(json.dumps(_make_package(build_dir)))
        result = json.loads(result_file.read_text())
    if not (build_dir / "template.yaml").is_file():
        pytest.fail(f"make package did not build (exit {result['returncode']}):\n{result['output'][-6000:]}")
    return Build(result["returncode"], result["output"], result["seconds"], pc.read_artifact(build_dir, TEMPLATE))


@pytest.fixture(scope="module")
def runtime_dir():
    with pc.runtime_libraries() as directory:
        yield directory


def test_make_package_builds_and_passes_its_own_check(build: Build) -> None:
    assert build.returncode == 0, f"make package failed:\n{build.output[-6000:]}"
    assert "0 problems" in build.output
    print(f"make package: {build.seconds:.1f} s")


def test_every_template_function_is_built(build: Build) -> None:
    assert build.artifact.problems == []
    assert sorted(f.logical_id for f in build.artifact.functions) == TEMPLATE_FUNCTIONS
    assert {f.source_dir.name for f in build.artifact.functions} >= REQUIRED_CODE_DIRS


@pytest.mark.parametrize("logical_id", TEMPLATE_FUNCTIONS)
def test_function_dir_holds_only_its_own_code(build: Build, logical_id: str) -> None:
    function = build.function(logical_id)
    assert pc.check_function_files(function) == []
    assert function.layers, f"{logical_id} uses no layer of the template's own"


@pytest.mark.parametrize("logical_id", TEMPLATE_FUNCTIONS)
def test_handler_imports_from_the_artifact_alone(build: Build, runtime_dir: Path, logical_id: str) -> None:
    result = pc.probe_handler(build.function(logical_id), build.artifact.layers, runtime_dir)
    assert result.ok, result.detail
    assert "function" in result.loaded


def test_layer_ships_vitrine_and_exactly_the_pinned_runtime_dependencies(build: Build) -> None:
    layer = build.core_layer
    python_dir = layer.python_dir
    function = build.artifact.functions[0]
    assert pc.check_layer(layer, function.runtime, function.architecture) == []

    assert (python_dir / "vitrine" / "__init__.py").is_file()
    pins = pc.read_pins(layer.requirements)
    shipped = {name: dist.version for name, dist in pc.installed_distributions(python_dir).items()}
    assert shipped == pins
    assert {"aws-lambda-powertools", "pydantic", "pydantic-core", "jmespath", "typing-extensions"} <= set(pins)
    assert list((python_dir / "pydantic_core").glob("*.cpython-311-x86_64-linux-gnu.so")), "no cp311 x86_64 core"
    # The runtime provides botocore; dev and test packages must not leak into what is deployed.
    for name in ("boto3", "botocore", "s3transfer", "moto", "pytest", "_pytest", "pip", "setuptools"):
        assert not (python_dir / name).exists(), f"the layer ships {name}"
        assert not list(python_dir.glob(f"{name}-*.dist-info")), f"the layer ships {name}"

    size = pc.tree_size(layer.built_dir)
    print(f"layer {layer.logical_id}: {size / 2**20:.1f} MiB unzipped")
    assert size < LAYER_BUDGET_BYTES


def test_the_import_check_catches_a_package_missing_from_the_layer(
    build: Build, runtime_dir: Path, tmp_path: Path
) -> None:
    """The check must fail for a package this virtualenv has but the layer does not (a copy, not the repo)."""
    leaked = next(n for n in ("pydantic_settings", "moto", "pytest") if importlib.util.find_spec(n))
    function = build.function(TEMPLATE_FUNCTIONS[0])
    broken_dir = tmp_path / function.built_dir.name
    shutil.copytree(function.built_dir, broken_dir)
    module_file = broken_dir / f"{function.module.replace('.', '/')}.py"
    module_file.write_text(f"import {leaked}  # not in the layer\n" + module_file.read_text())

    broken = dataclasses.replace(function, built_dir=broken_dir)
    result = pc.probe_handler(broken, build.artifact.layers, runtime_dir)
    assert not result.ok
    assert f"No module named '{leaked}'" in result.detail


def test_the_layer_check_catches_missing_pins_and_leaked_packages(
    build: Build, runtime_dir: Path, tmp_path: Path
) -> None:
    layer = build.core_layer
    broken = dataclasses.replace(layer, built_dir=tmp_path / "layer")
    shutil.copytree(layer.built_dir, broken.built_dir)
    python_dir = broken.python_dir
    shutil.rmtree(python_dir / "pydantic_core")
    for dist_info in python_dir.glob("pydantic_core-*.dist-info"):
        shutil.rmtree(dist_info)
    fake = python_dir / "botocore-1.0.0.dist-info"
    fake.mkdir()
    (fake / "METADATA").write_text("Metadata-Version: 2.1\nName: botocore\nVersion: 1.0.0\n\n")
    (python_dir / "pytest").mkdir()

    function = build.artifact.functions[0]
    problems = "\n".join(pc.check_layer(broken, function.runtime, function.architecture))
    assert "pinned pydantic-core==" in problems
    assert "ships botocore" in problems
    assert "python/pytest must not be in a layer" in problems

    # And the handlers that import pydantic (through vitrine) fail against that layer.
    results = (pc.probe_handler(f, {broken.logical_id: broken}, runtime_dir) for f in build.artifact.functions)
    assert any(not r.ok and "pydantic_core" in r.detail for r in results)
