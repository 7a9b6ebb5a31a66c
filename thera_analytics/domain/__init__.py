"""Pure practice rules: no I/O and no clock. Callers pass the time in."""
