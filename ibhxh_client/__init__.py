"""ibhxh-client: prepare, sign, send and print Vietnamese social-insurance declarations."""

__version__ = "0.1.0"
