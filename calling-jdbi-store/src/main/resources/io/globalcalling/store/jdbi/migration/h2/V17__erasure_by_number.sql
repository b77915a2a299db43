-- A message from a number matching no call is looked up among the erased numbers: by index, not by a scan of every
-- erasure ever made.

CREATE INDEX calling_erasure_number_ix ON calling_erasure (number_hash);
