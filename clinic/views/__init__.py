"""The practice's pages, one module per who uses them; the URLconfs import the modules."""
