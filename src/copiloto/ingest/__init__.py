"""Bulk loading of histories: WhatsApp exports and purchase lists into the relational store."""
