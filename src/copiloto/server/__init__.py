"""One process for the UI (ChainLit), the JSON API, the webhooks and the background worker."""
