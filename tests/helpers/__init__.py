"""Helpers the tests share instead of copying: waiting for what announces nothing (``waiting``),
asking for a local server (``network``), running ``thera`` (``commands``), making events
(``events``) and the odd input of the bad-input tests (``odd_input``)."""
