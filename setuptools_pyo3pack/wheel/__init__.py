"""From artifacts to wheels: what goes where, the writer, and the one build pipeline."""
