"""Installing a build into a virtualenv for development."""
