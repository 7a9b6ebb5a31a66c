"""Helpers the tests share: waiting for something to happen, signing in, small practices."""
