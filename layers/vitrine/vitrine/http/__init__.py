"""HTTP plumbing shared by the API functions: routes with pydantic models, JSON errors, OpenAPI at build time."""
