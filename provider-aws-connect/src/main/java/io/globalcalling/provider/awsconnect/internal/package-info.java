/**
 * Internals of the Amazon Connect provider: error mapping, placement retries, contact attributes, contact events,
 * agent counts, the rate deck and the SQS poller. Not supported for use outside this module; it may change in any
 * release without notice.
 */
@NullMarked
package io.globalcalling.provider.awsconnect.internal;

import org.jspecify.annotations.NullMarked;
