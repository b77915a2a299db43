/**
 * Where the host hands providers' webhook requests: {@link io.globalcalling.core.webhook.Webhooks} checks size,
 * finds the provider and applies the events it verified.
 */
@NullMarked
package io.globalcalling.core.webhook;

import org.jspecify.annotations.NullMarked;
