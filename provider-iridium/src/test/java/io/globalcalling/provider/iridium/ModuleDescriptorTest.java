package io.globalcalling.provider.iridium;

import io.globalcalling.testkit.ModuleDescriptorContract;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleDescriptorTest {

    @Test
    void providesItsFactoryExportsItsApiAndHidesItsInternals() {
        ModuleDescriptor d = ModuleDescriptorContract.check(IridiumProviderFactory.class);

        assertThat(d.name()).isEqualTo("io.globalcalling.provider.iridium");
        assertThat(d.provides()).isNotEmpty();
    }
}
