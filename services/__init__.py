"""Long-running services beside the static site (see services/*/README.md)."""
