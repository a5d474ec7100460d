"""The citizens' tracking page (`/lacak`): a request's standing by its tracking number and check code, as plain HTML."""
