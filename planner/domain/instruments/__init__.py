"""Assessment instruments and calculators, scored as their manuals say."""
