"""Generates the FastAPI routes in generated/ from api_spec.yaml (see README)."""
