"""`python3 build.py bench`: speed and size of the page in headless Chromium, per backend."""
