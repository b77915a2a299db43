package io.globalcalling.provider.awsconnect;

import io.globalcalling.testkit.ModuleDescriptorContract;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleDescriptorTest {

    @Test
    void providesItsFactoryExportsItsApiAndHidesItsInternals() {
        ModuleDescriptor d = ModuleDescriptorContract.check(AwsConnectProviderFactory.class);

        assertThat(d.name()).isEqualTo("io.globalcalling.provider.awsconnect");
        assertThat(d.provides()).isNotEmpty();
        assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
                .contains("software.amazon.awssdk.services.connect", "software.amazon.awssdk.services.sqs");
    }
}
