"""Speed and scale measurements (`make bench`); not part of the test suite."""
