"""The peer package's side of the availability benchmark; runs in ``var/bench/peer-venv``."""
