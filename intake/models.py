"""See DESIGN.md; models arrive with their issue."""
