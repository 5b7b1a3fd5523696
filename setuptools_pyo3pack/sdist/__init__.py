"""Source distributions that build on their own."""
