"""Migration scripts, oldest first (``0001_…``); a package so that installs ship them."""
