/**
 * Bulk calling campaigns: targets imported in bulk, paced calling within recipient-local windows,
 * retries per outcome, a do-not-call list, per-recipient frequency caps, answering-machine handling,
 * pause / resume / cancel from any node, progress, reports, and crash-safe multi-node claiming.
 * Start with {@code GlobalCallingManager.campaigns()}.
 */
@NullMarked
package io.globalcalling.core.campaign;

import org.jspecify.annotations.NullMarked;
