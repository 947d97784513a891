"""Supportive-care planner for metastatic breast cancer with liver metastases."""

__version__ = "0.1.0"

#: the program's name for its folders (record, cache) and its settings
APP_NAME = "SupportiveCarePlanner"
