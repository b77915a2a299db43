-- A scheduling pass takes up the lapsed leases of paused and cancelled campaigns too (their node died
-- mid-attempt): it finds them through the claimed targets, oldest lease first, never the whole table.

CREATE INDEX calling_campaign_target_lapsed_ix ON calling_campaign_target (state, lease_until);
