/**
 * Internal machinery of campaigns (policy text, CSV reading, recipient time zones). Not supported for
 * use outside the SDK: it may change in any release.
 */
@NullMarked
package io.globalcalling.core.campaign.internal;

import org.jspecify.annotations.NullMarked;
