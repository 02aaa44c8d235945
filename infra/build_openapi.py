"""Write the OpenAPI document served at GET /openapi.json (`make openapi`; committed, a test checks it is current).

Imports every function's handler so their route declarations register, then builds the spec from them.
"""

import json
import sys
from pathlib import Path

from local_stack.function_code import ROOT, import_handler_module, template_functions
from vitrine.http.openapi import build_openapi
from vitrine.http.routing import REGISTERED

OUTPUT = ROOT / "functions" / "catalog_api" / "openapi.json"


def render_openapi() -> str:
    for function in template_functions():
        import_handler_module(function)
    document = build_openapi(REGISTERED, title="Vitrine API", version="0.1.0")
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    OUTPUT.write_text(render_openapi())
    print(f"wrote {Path(OUTPUT).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
