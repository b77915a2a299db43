package io.globalcalling.store.jdbi;

/**
 * What one run of the retention job ({@link JdbiCallingDatabase#purgeExpired()}) removed.
 *
 * @param calls  old calls and events
 * @param ledger closed holds, past windows and periods, and their alert marks
 */
public record RetentionResult(PurgeResult calls, LedgerPurgeResult ledger) {
}
