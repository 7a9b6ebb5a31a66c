"""The client portal served at ``/portal``."""
