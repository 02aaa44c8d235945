import os
import sys
from pathlib import Path

# build_openapi.py is a build script in infra/, not a package module.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "infra"))

# As in Lambda, the environment exists before any handler module is imported (Powertools reads it then).
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "VitrineTest")
os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
