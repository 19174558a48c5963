"""Copiloto: a sales copilot for sellers who work over WhatsApp in Brazil."""

__version__ = "0.1.0"
