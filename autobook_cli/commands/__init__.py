"""One module per command or command group; each adds itself with `add_to(app)`."""
