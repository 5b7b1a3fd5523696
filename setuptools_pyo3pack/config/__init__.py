"""Settings: the model of every option, and the one chain that resolves them."""
