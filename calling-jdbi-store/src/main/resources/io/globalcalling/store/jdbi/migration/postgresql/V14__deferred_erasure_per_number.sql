-- A call between two numbers whose erasures both wait for it is deferred once for each: the deferred erasure is
-- kept per call and erased number, so that neither erasure is lost to the other.

ALTER TABLE calling_deferred_erasure DROP CONSTRAINT calling_deferred_erasure_pkey;
ALTER TABLE calling_deferred_erasure ADD PRIMARY KEY (call_id, number_hash);
