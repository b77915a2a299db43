package io.globalcalling.store.jdbi;

import io.globalcalling.testkit.ModuleDescriptorContract;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The store has no module-info (Flyway has no module name), so only its packages' nullness is checked. */
class NullMarkedTest {

    @Test
    void everyPackageIsNullMarked() {
        for (String pkg : new String[] {"io.globalcalling.store.jdbi", "io.globalcalling.store.jdbi.internal"}) {
            assertThat(ModuleDescriptorContract.isNullMarked(pkg, getClass().getClassLoader())).as(pkg).isTrue();
        }
    }
}
