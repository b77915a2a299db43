/**
 * Test helpers for hosts and plug-in authors: fake and scripted providers, a test context and the contract
 * suites every provider and store must pass.
 */
module io.globalcalling.testkit {
    requires transitive io.globalcalling.spi;
    requires static org.jspecify;
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;

    exports io.globalcalling.testkit;
}
