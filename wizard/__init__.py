"""Partnership Wizard: check an Erasmus+ Strategic Partnership idea step by step."""

__version__ = "0.1.0"
