-- Issue 11: waiting_for_agent (rank 4) and with_agent (rank 5) come after answered, so every terminal
-- status moves from rank 4 to rank 6. Status names are unchanged; only the rank that orders them is.
UPDATE calling_call SET status_rank = 6 WHERE terminal = TRUE;
