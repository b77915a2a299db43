package io.globalcalling.core;

import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.testkit.ModuleDescriptorContract;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleDescriptorTest {

    @Test
    void providesItsFactoriesExportsItsApiAndHidesItsInternals() {
        ModuleDescriptor d = ModuleDescriptorContract.check(GlobalCallingManager.class);

        assertThat(d.name()).isEqualTo("io.globalcalling.core");
        assertThat(d.uses()).contains(CallingProviderFactory.class.getName());
        assertThat(d.provides()).isNotEmpty();
    }
}
