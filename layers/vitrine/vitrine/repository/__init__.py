"""The DynamoDB repository: the only code that talks to the table. Key design: ``keys.py``."""
