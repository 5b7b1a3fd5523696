"""What differs by target: interpreter facts, wheel tags, and each operating system's rules."""
