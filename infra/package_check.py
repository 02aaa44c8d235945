"""Checks that what ``sam build`` produced is what Lambda will run, and that it is complete.

``make package`` runs this right after ``sam build``; ``tests/e2e/test_package.py`` imports it. For every
``AWS::Serverless::Function`` in the *source* template (nothing is hard-coded) it checks that:

- the built function directory holds exactly the files of its ``CodeUri`` (shared code and third-party
  packages belong in the layer, never beside a handler);
- its handler imports in a fresh interpreter whose ``sys.path`` is only what Lambda would give it: the built
  function directory, the built layers' ``python/`` directories, a stand-in for the runtime's own libraries
  (boto3, botocore and their dependencies, taken from the interpreter running this check) and the standard
  library. The project's virtualenv is not on that path, so a package the layer does not ship fails here;

and that every layer built from a ``requirements.txt`` ships its source package(s), each pin at its pinned
version, nothing unpinned, no dev tools and no boto3/botocore (the runtime provides them), and only wheels
built for the template's runtime and architecture.

Usage: ``python infra/package_check.py [--build-dir .aws-sam/build] [--template infra/template.yaml]``.
It needs only the standard library and PyYAML, so the SAM tool virtualenv can run it.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "template.yaml"
BUILD_DIR = ROOT / ".aws-sam" / "build"

SERVERLESS_FUNCTION = "AWS::Serverless::Function"
SERVERLESS_LAYER = "AWS::Serverless::LayerVersion"

# What the Lambda Python runtime itself puts on sys.path (boto3 and its dependency closure).
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")

# Distributions a layer must never ship: the runtime's own SDK, and development or packaging tools.
FORBIDDEN_DISTRIBUTIONS = re.compile(
    r"^(boto3|botocore|s3transfer|moto|pytest|pytest-.+|pip|setuptools|wheel|ruff|cfn-lint|coverage|"
    r"aws-sam-cli|aws-sam-translator|boto3-stubs|botocore-stubs|mypy-boto3-.+|types-.+|vitrine)$"
)
FORBIDDEN_TOP_LEVEL = frozenset(
    {"boto3", "botocore", "s3transfer", "moto", "pytest", "_pytest", "pip", "setuptools", "pkg_resources",
     "wheel", "ruff", "cfnlint", "samcli", "samtranslator", "tests", "local_stack"}
)  # fmt: skip

# Files the build may leave that are not code: byte-code caches and editor litter.
IGNORED_PARTS = frozenset({"__pycache__", ".DS_Store", ".pytest_cache", ".ruff_cache", ".mypy_cache"})

# Lambda's documented limit for a function and all its layers, unzipped.
UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024

_RUNTIME_VERSION = re.compile(r"^python(\d+)\.(\d+)$")


# ---------------------------------------------------------------------------------------------- template


def load_template(path: Path) -> dict[str, Any]:
    """The template with CloudFormation short tags in long form, read by cfn-lint's decoder (in both venvs)."""
    from cfnlint.decode import decode

    template, matches = decode(str(path))
    if matches or template is None:
        raise ValueError(f"cannot read {path}: {matches}")
    return template


@dataclass(frozen=True)
class Layer:
    logical_id: str
    source_dir: Path
    built_dir: Path  # the directory Lambda unpacks to /opt

    @property
    def python_dir(self) -> Path:
        return self.built_dir / "python"

    @property
    def requirements(self) -> Path:
        return self.source_dir / "requirements.txt"


@dataclass(frozen=True)
class Function:
    logical_id: str
    handler: str
    runtime: str
    architecture: str
    source_dir: Path
    built_dir: Path
    layers: tuple[str, ...]  # logical ids of the template's own layers
    external_layers: tuple[str, ...]  # ARNs this check cannot see into
    environment: dict[str, str]
    memory: int

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def attribute(self) -> str:
        return self.handler.rsplit(".", 1)[1]


@dataclass
class Artifact:
    """The source template's functions and layers, paired with where ``sam build`` put each one."""

    build_dir: Path
    functions: list[Function]
    layers: dict[str, Layer]
    problems: list[str] = field(default_factory=list)


def _merged(globals_: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    merged = dict(globals_)
    for key, value in properties.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def _resolve(value: Any, parameters: dict[str, str]) -> str:
    """A plausible string for an environment value CloudFormation would compute; enough for import time."""
    if isinstance(value, str | int | float | bool):
        return str(value)
    if isinstance(value, dict) and "Ref" in value:
        return parameters.get(value["Ref"], str(value["Ref"]))
    if isinstance(value, dict) and "Fn::Sub" in value and isinstance(value["Fn::Sub"], str):
        return re.sub(r"\$\{([^}!]+)\}", lambda m: parameters.get(m.group(1), m.group(1)), value["Fn::Sub"])
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return ".".join(value["Fn::GetAtt"])
    return json.dumps(value, sort_keys=True)


def read_artifact(build_dir: Path = BUILD_DIR, template_path: Path = TEMPLATE) -> Artifact:
    source = load_template(template_path)
    built_template_path = build_dir / "template.yaml"
    if not built_template_path.is_file():
        raise FileNotFoundError(f"{built_template_path} does not exist: run sam build (make package) first")
    built = load_template(built_template_path)["Resources"]
    parameters = {name: str(spec.get("Default", "")) for name, spec in source.get("Parameters", {}).items()}
    globals_ = source.get("Globals", {}).get("Function", {})
    artifact = Artifact(build_dir, [], {})

    for logical_id, resource in source["Resources"].items():
        if resource["Type"] != SERVERLESS_LAYER:
            continue
        content = built.get(logical_id, {}).get("Properties", {}).get("ContentUri")
        if not isinstance(content, str):
            artifact.problems.append(f"{logical_id}: not in the built template as a local ContentUri")
            continue
        artifact.layers[logical_id] = Layer(
            logical_id,
            (template_path.parent / resource["Properties"]["ContentUri"]).resolve(),
            (build_dir / content).resolve(),
        )

    for logical_id, resource in source["Resources"].items():
        if resource["Type"] != SERVERLESS_FUNCTION:
            continue
        props = _merged(globals_, resource.get("Properties", {}))
        code = built.get(logical_id, {}).get("Properties", {}).get("CodeUri")
        if not isinstance(code, str) or "CodeUri" not in props:
            artifact.problems.append(f"{logical_id}: not built from a local CodeUri (inline code or image?)")
            continue
        own, external = [], []
        for ref in props.get("Layers", []):
            if isinstance(ref, dict) and ref.get("Ref") in artifact.layers:
                own.append(ref["Ref"])
            else:
                external.append(json.dumps(ref))
        variables = props.get("Environment", {}).get("Variables", {})
        artifact.functions.append(
            Function(
                logical_id=logical_id,
                handler=props["Handler"],
                runtime=props["Runtime"],
                architecture=(props.get("Architectures") or ["x86_64"])[0],
                source_dir=(template_path.parent / props["CodeUri"]).resolve(),
                built_dir=(build_dir / code).resolve(),
                layers=tuple(own),
                external_layers=tuple(external),
                environment={name: _resolve(value, parameters) for name, value in variables.items()},
                memory=int(props.get("MemorySize", 128)),
            )
        )
    if not artifact.functions:
        artifact.problems.append(f"{template_path} declares no {SERVERLESS_FUNCTION}")
    return artifact


# ---------------------------------------------------------------------------------------------- files


def code_files(directory: Path) -> set[str]:
    """Relative paths of the files under ``directory`` that would be deployed (caches excluded)."""
    return {
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.is_file() and not IGNORED_PARTS.intersection(path.parts) and path.suffix != ".pyc"
    }


def tree_size(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file() and not path.is_symlink())


def zipped_size(directory: Path) -> int:
    """Size of ``directory`` zipped as ``sam deploy`` uploads it (deflate)."""
    with tempfile.TemporaryFile() as raw:
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(directory.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(directory).as_posix())
        return raw.tell()


def check_function_files(function: Function) -> list[str]:
    """The built function directory holds its own code and nothing else."""
    if not function.built_dir.is_dir():
        return [f"{function.logical_id}: {function.built_dir} was not built"]
    built, source = code_files(function.built_dir), code_files(function.source_dir)
    problems = []
    if extra := sorted(built - source):
        shown = ", ".join(extra[:8]) + (f" (+{len(extra) - 8} more)" if len(extra) > 8 else "")
        problems.append(
            f"{function.logical_id}: the build added files that are not its own code: {shown}. "
            "Shared code and packages belong in the layer (layers/vitrine/requirements.txt)."
        )
    if missing := sorted(source - built):
        problems.append(f"{function.logical_id}: source files missing from the build: {', '.join(missing)}")
    module_file = function.built_dir / f"{function.module.replace('.', '/')}.py"
    if not module_file.is_file():
        problems.append(f"{function.logical_id}: handler module {module_file.name} is not in the build")
    return problems


# ---------------------------------------------------------------------------------------------- layers


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(requirements: Path) -> dict[str, str]:
    pins = {}
    for raw in requirements.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;]+)", line)
        if not match:
            raise ValueError(f"{requirements}: '{line}' is not an exact pin (name==version)")
        pins[_canonical(match.group(1))] = match.group(2)
    return pins


@dataclass(frozen=True)
class Distribution:
    name: str
    version: str
    dist_info: Path
    wheel_tags: tuple[str, ...]
    top_level: frozenset[str]


def installed_distributions(python_dir: Path) -> dict[str, Distribution]:
    dists = {}
    for dist_info in sorted(python_dir.glob("*.dist-info")):
        meta: dict[str, str] = {}
        for line in (dist_info / "METADATA").read_text(errors="replace").splitlines():
            if not line.strip():
                break
            key, _, value = line.partition(":")
            meta.setdefault(key.strip().lower(), value.strip())
        wheel = dist_info / "WHEEL"
        tags = tuple(
            line.split(":", 1)[1].strip()
            for line in (wheel.read_text().splitlines() if wheel.is_file() else [])
            if line.lower().startswith("tag:")
        )
        record = dist_info / "RECORD"
        top = frozenset(
            line.split(",", 1)[0].split("/", 1)[0]
            for line in (record.read_text().splitlines() if record.is_file() else [])
            if line.strip()
        )
        name = _canonical(meta.get("name", dist_info.name.split("-", 1)[0]))
        dists[name] = Distribution(name, meta.get("version", "?"), dist_info, tags, top)
    return dists


def _tag_fits(tag: str, runtime: str, architecture: str) -> bool:
    """Whether a wheel tag (``cp311-cp311-manylinux_2_17_x86_64``) can load on the Lambda runtime."""
    interpreter, abi, platform = tag.split("-")
    major, minor = _RUNTIME_VERSION.fullmatch(runtime).groups()  # type: ignore[union-attr]
    cpython = f"cp{major}{minor}"
    if platform == "any":
        return True
    arch = {"x86_64": "x86_64", "arm64": "aarch64"}[architecture]
    if not re.fullmatch(rf"(manylinux\d*|manylinux_2_\d+|linux)_{arch}", platform):
        return False
    if abi == "abi3":
        return interpreter.startswith("cp3") and int(interpreter[3:]) <= int(minor)
    return interpreter == cpython and abi == cpython


def check_layer(layer: Layer, runtime: str, architecture: str) -> list[str]:
    """The layer ships its source package(s) and exactly its pinned, runtime-compatible dependencies."""
    who = layer.logical_id
    python_dir = layer.python_dir
    if not python_dir.is_dir():
        return [f"{who}: {python_dir} was not built (Lambda loads Python layers from python/)"]
    problems = []

    # The layer's own packages (e.g. vitrine/) arrive as copied, file for file.
    own_packages = sorted(p.name for p in layer.source_dir.iterdir() if p.is_dir() and (p / "__init__.py").is_file())
    if not own_packages:
        problems.append(f"{who}: {layer.source_dir} holds no Python package")
    for package in own_packages:
        built_files = code_files(python_dir / package) if (python_dir / package).is_dir() else set()
        source_files = code_files(layer.source_dir / package)
        if missing := sorted(source_files - built_files):
            problems.append(f"{who}: {package}/ is missing {', '.join(missing[:8])}")
        if extra := sorted(built_files - source_files):
            problems.append(f"{who}: {package}/ has files not in the source: {', '.join(extra[:8])}")

    pins = read_pins(layer.requirements) if layer.requirements.is_file() else {}
    dists = installed_distributions(python_dir)
    for name, version in sorted(pins.items()):
        if name not in dists:
            problems.append(f"{who}: pinned {name}=={version} is not in the layer")
        elif dists[name].version != version:
            problems.append(f"{who}: {name} is {dists[name].version} in the layer, pinned {version}")
    if unpinned := sorted(set(dists) - set(pins)):
        problems.append(
            f"{who}: ships {', '.join(unpinned)} without a pin in {layer.requirements.name} "
            "(a transitive dependency pip resolved on its own: pin it)"
        )
    for dist in dists.values():
        if FORBIDDEN_DISTRIBUTIONS.match(dist.name):
            problems.append(f"{who}: ships {dist.name}, which must not be in a layer (runtime or dev package)")
        if bad := [t for t in dist.wheel_tags if not _tag_fits(t, runtime, architecture)]:
            problems.append(f"{who}: {dist.name} {dist.version} is built for {bad}, not {runtime}/{architecture}")

    owned = set().union(*(d.top_level for d in dists.values())) if dists else set()
    allowed = owned | set(own_packages) | {d.dist_info.name for d in dists.values()} | {"requirements.txt"}
    flagged = {top for d in dists.values() if FORBIDDEN_DISTRIBUTIONS.match(d.name) for top in d.top_level}
    for entry in sorted(python_dir.iterdir()):
        if entry.name in flagged:
            continue  # already reported with its distribution
        if entry.name in FORBIDDEN_TOP_LEVEL:
            problems.append(f"{who}: python/{entry.name} must not be in a layer (runtime or dev package)")
        elif entry.name not in allowed and not entry.name.endswith(".data") and entry.name not in IGNORED_PARTS:
            problems.append(f"{who}: python/{entry.name} belongs to no package the layer installs")
    return problems


# ---------------------------------------------------------------------------------------------- imports

# Runs in `python -I -S -B`: no site-packages, no PYTHON* variables, no current directory on sys.path, and no
# __pycache__ written into the artifact (Lambda compiles at cold start too, so import_ms is what it pays).
_PROBE = r"""
import importlib, json, sys, time
spec = json.loads(sys.argv[1])
sys.path[:0] = spec["path"]
started = time.perf_counter()
module = importlib.import_module(spec["module"])
elapsed = time.perf_counter() - started
handler = getattr(module, spec["attribute"], None)
roots = {}
for name, loaded in list(sys.modules.items()):
    origin = getattr(loaded, "__file__", None) or ""
    for label, root in spec["roots"].items():
        if origin.startswith(root + "/"):
            roots.setdefault(label, set()).add(name.split(".")[0])
print(json.dumps({
    "callable": callable(handler),
    "handler_type": type(handler).__name__,
    "module_file": getattr(module, "__file__", None),
    "import_ms": round(elapsed * 1000, 1),
    "loaded": {label: sorted(names) for label, names in roots.items()},
}))
"""


@contextlib.contextmanager
def runtime_libraries() -> Iterator[Path]:
    """A directory standing in for the runtime's own libraries: links to this interpreter's boto3 & co."""
    with tempfile.TemporaryDirectory(prefix="lambda-runtime-") as tmp:
        for name in RUNTIME_PROVIDED:
            spec = importlib.util.find_spec(name)
            if spec is None or spec.origin is None:
                raise RuntimeError(f"{sys.executable} has no {name}: it stands in for the Lambda runtime's")
            origin = Path(spec.origin)
            target = origin.parent if origin.name == "__init__.py" else origin
            (Path(tmp) / target.name).symlink_to(target)
        yield Path(tmp)


@dataclass(frozen=True)
class ImportResult:
    function: str
    ok: bool
    detail: str
    import_ms: float = 0.0
    loaded: dict[str, list[str]] = field(default_factory=dict)


def lambda_path(function: Function, layers: dict[str, Layer], runtime_dir: Path) -> list[str]:
    """``sys.path`` ahead of the standard library, in the order the Lambda Python runtime builds it."""
    path = [str(function.built_dir)]
    for logical_id in function.layers:
        python_dir = layers[logical_id].python_dir
        path += [str(python_dir / "lib" / function.runtime / "site-packages"), str(python_dir)]
    return [*path, str(runtime_dir)]


def probe_handler(function: Function, layers: dict[str, Layer], runtime_dir: Path) -> ImportResult:
    """Imports the handler in a fresh, isolated interpreter that sees only what Lambda would deploy."""
    roots = {"function": str(function.built_dir), "runtime": str(runtime_dir)}
    roots |= {f"layer:{lid}": str(layers[lid].python_dir) for lid in function.layers}
    spec = {
        "path": lambda_path(function, layers, runtime_dir),
        "module": function.module,
        "attribute": function.attribute,
        "roots": roots,
    }
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TZ": ":UTC",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{function.runtime}",
        "AWS_LAMBDA_FUNCTION_NAME": function.logical_id,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "LAMBDA_TASK_ROOT": str(function.built_dir),
        **function.environment,
    }
    completed = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-I", "-S", "-B", "-c", _PROBE, json.dumps(spec)],
        cwd=function.built_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if completed.returncode != 0:
        lines = completed.stderr.strip().splitlines()
        return ImportResult(
            function.logical_id, False, f"import of {function.handler} failed:\n  " + "\n  ".join(lines[-12:])
        )
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    if not result["callable"]:
        return ImportResult(
            function.logical_id, False, f"{function.handler} is missing or not callable ({result['handler_type']})"
        )
    if not str(result["module_file"]).startswith(str(function.built_dir) + "/"):
        return ImportResult(
            function.logical_id, False, f"{function.module} came from {result['module_file']}, not the function"
        )
    return ImportResult(function.logical_id, True, "ok", result["import_ms"], result["loaded"])


# ---------------------------------------------------------------------------------------------- report


def check(artifact: Artifact) -> tuple[list[str], list[ImportResult]]:
    problems = list(artifact.problems)
    checked_layers: set[str] = set()
    for function in artifact.functions:
        problems += check_function_files(function)
        wanted = _RUNTIME_VERSION.fullmatch(function.runtime)
        if not wanted or (int(wanted.group(1)), int(wanted.group(2))) != sys.version_info[:2]:
            problems.append(
                f"{function.logical_id}: runtime {function.runtime}, but this check runs Python "
                f"{sys.version_info.major}.{sys.version_info.minor}: run it with the runtime's version"
            )
        if function.external_layers:
            problems.append(f"{function.logical_id}: layers this check cannot see: {function.external_layers}")
        for logical_id in function.layers:
            if logical_id not in checked_layers:
                checked_layers.add(logical_id)
                problems += check_layer(artifact.layers[logical_id], function.runtime, function.architecture)
        size = tree_size(function.built_dir) + sum(tree_size(artifact.layers[lid].built_dir) for lid in function.layers)
        if size > UNZIPPED_LIMIT_BYTES:
            problems.append(f"{function.logical_id}: {size / 2**20:.1f} MiB unzipped with its layers (limit 250)")
    results = []
    with runtime_libraries() as runtime_dir:
        for function in artifact.functions:
            result = probe_handler(function, artifact.layers, runtime_dir)
            results.append(result)
            if not result.ok:
                problems.append(f"{function.logical_id}: {result.detail}")
    return problems, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", type=Path, default=BUILD_DIR)
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    artifact = read_artifact(args.build_dir.resolve(), args.template.resolve())
    problems, results = check(artifact)

    print(f"package check of {args.build_dir} against {args.template}:")
    for result in results:
        mark = "ok  " if result.ok else "FAIL"
        runtime = ",".join(result.loaded.get("runtime", [])) or "-"
        print(f"  {mark} {result.function:34} import {result.import_ms:7.1f} ms   runtime libs imported: {runtime}")
    for layer in artifact.layers.values():
        if layer.python_dir.is_dir():
            dists = installed_distributions(layer.python_dir)
            print(
                f"  layer {layer.logical_id}: {tree_size(layer.built_dir) / 2**20:.1f} MiB unzipped, "
                f"{zipped_size(layer.built_dir) / 2**20:.1f} MiB zipped; "
                + ", ".join(f"{d.name}=={d.version}" for d in dists.values())
            )
    for problem in problems:
        print(f"  PROBLEM {problem}", file=sys.stderr)
    print(f"  {len(results)} functions, {len(problems)} problems ({time.perf_counter() - started:.1f} s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
