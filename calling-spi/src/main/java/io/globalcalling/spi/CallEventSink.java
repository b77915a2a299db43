package io.globalcalling.spi;

/** Where a provider delivers events it learns outside a webhook (the sandbox's simulated lifecycle, say). */
@FunctionalInterface
public interface CallEventSink {
    void accept(CallEvent event);
}
