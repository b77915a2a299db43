package io.globalcalling.provider.twilio;

import io.globalcalling.testkit.ModuleDescriptorContract;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleDescriptorTest {

    @Test
    void providesItsFactoryExportsItsApiAndHidesItsInternals() {
        ModuleDescriptor d = ModuleDescriptorContract.check(TwilioProviderFactory.class);

        assertThat(d.name()).isEqualTo("io.globalcalling.provider.twilio");
        assertThat(d.provides()).isNotEmpty();
    }
}
