"""Pure clinical domain: standard library only, frozen data, functions that show their evidence."""
