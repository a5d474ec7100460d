"""Every regency as it stands now ("/sekarang"): the officials' way in from the wall."""
