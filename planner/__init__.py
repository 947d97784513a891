"""Supportive-care planner for metastatic breast cancer with liver metastases."""

__version__ = "0.1.0"
