package io.globalcalling.store.jdbi;

/**
 * What a purge of the limit ledger removed.
 *
 * @param holds    closed holds forgotten
 * @param windows  past rate windows deleted
 * @param periods  past spending periods deleted
 * @param alerts   alert marks of deleted periods
 */
public record LedgerPurgeResult(int holds, int windows, int periods, int alerts) {
}
