"""The seller's workspace: what the UI and the API show, with the same access rules for both."""
