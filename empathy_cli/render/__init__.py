"""Renderers: text, markdown and JSON never import Rich; `terminal` is the only Rich user."""
