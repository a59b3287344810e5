"""Talking to the Social Security gateway: the shared protocol (``protocol``), the client
(``client``), the documents the gateway signs (``receipt``, ``result``), and a sandbox
gateway (``sandbox``) that implements the protocol for training, demos and tests."""
