/**
 * Micrometer metrics of the Global Calling SDK: {@link io.globalcalling.micrometer.CallingMetrics}, a
 * {@code MeterBinder} fed by a manager's listeners.
 */
module io.globalcalling.micrometer {
    requires transitive io.globalcalling.core;
    requires transitive micrometer.core;
    requires static org.jspecify;

    exports io.globalcalling.micrometer;
}
