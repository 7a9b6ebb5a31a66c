"""The composition root: the ``thera`` command line, the server and its background loops.

It sits above both the core (``thera_analytics``) and the Panel apps (``dashboards``) and wires
them together; nothing below imports it.
"""
