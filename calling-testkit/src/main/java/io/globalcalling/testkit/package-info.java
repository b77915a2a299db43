/**
 * Test helpers: {@link io.globalcalling.testkit.FakeCallProvider}, a test context and clock, and the contract
 * suites ({@link io.globalcalling.testkit.ProviderContract}, {@link io.globalcalling.testkit.CallStoreContract},
 * {@link io.globalcalling.testkit.LimitLedgerContract}) that every provider and store must pass.
 */
@NullMarked
package io.globalcalling.testkit;

import org.jspecify.annotations.NullMarked;
