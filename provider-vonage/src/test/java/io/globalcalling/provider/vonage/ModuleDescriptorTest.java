package io.globalcalling.provider.vonage;

import io.globalcalling.testkit.ModuleDescriptorContract;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleDescriptorTest {

    @Test
    void providesItsFactoryExportsItsApiAndHidesItsInternals() {
        ModuleDescriptor d = ModuleDescriptorContract.check(VonageProviderFactory.class);

        assertThat(d.name()).isEqualTo("io.globalcalling.provider.vonage");
        assertThat(d.provides()).isNotEmpty();
    }
}
