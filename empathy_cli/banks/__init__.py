"""Bank loading: YAML parsing with locations, validation, layering and the cache."""
