"""Pure analysis functions: arrays and data frames in, data frames out. No Django here."""
