"""The guided assessment: one QWizard, one page module per part of the case document."""
