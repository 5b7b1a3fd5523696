"""Checking built files and uploading them to a registry (twine underneath)."""
