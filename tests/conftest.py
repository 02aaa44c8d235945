import sys
from pathlib import Path

# build_openapi.py is a build script in infra/, not a package module.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "infra"))
