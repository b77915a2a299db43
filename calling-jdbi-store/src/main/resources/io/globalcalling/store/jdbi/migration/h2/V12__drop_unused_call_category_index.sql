-- No query of the store filters calls by category alone (statistics group by it over a time range, read through
-- the started_at index), and every new version of a call's row - four a call - paid an entry in this index.

DROP INDEX calling_call_category_ix;
