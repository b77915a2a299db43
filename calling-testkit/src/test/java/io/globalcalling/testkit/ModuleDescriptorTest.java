package io.globalcalling.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleDescriptorTest {

    @Test
    void exportsItsApiAndProvidesNoFactory() {
        assertThat(ModuleDescriptorContract.check(FakeCallProvider.class).name()).isEqualTo("io.globalcalling.testkit");
    }
}
