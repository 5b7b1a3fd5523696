"""A resolved project: the crate as cargo describes it, its binding, layout and metadata."""
