"""factory_boy factories, one module per app: each lives with the app that owns its model."""
