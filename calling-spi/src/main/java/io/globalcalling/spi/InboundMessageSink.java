package io.globalcalling.spi;

import io.globalcalling.InboundMessage;

/**
 * Where a provider delivers the messages terminals send it (replies, positions, delivery
 * confirmations), whether or not they belong to a call. The manager stores each one, ends the call
 * a delivery confirmation confirms, and tells its listeners. Safe to call from any thread.
 */
@FunctionalInterface
public interface InboundMessageSink {
    void accept(InboundMessage message);
}
