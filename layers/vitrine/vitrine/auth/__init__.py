"""Who is calling: merchant API keys (stored hashed) and webhook credentials, compared in constant time."""
