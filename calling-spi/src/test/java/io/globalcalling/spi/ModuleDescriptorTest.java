package io.globalcalling.spi;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleDescriptorTest {

    @Test
    void exportsEveryPackageAndNeedsNothingButTheJdkAndJSpecifyAtCompileTime() throws Exception {
        Path classes = Path.of(ProviderConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d = ModuleFinder.of(classes).findAll().iterator().next().descriptor();

        assertThat(d.name()).isEqualTo("io.globalcalling.spi");
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .isEqualTo(d.packages());
        assertThat(d.requires()).allSatisfy(r -> assertThat(r.name().equals("java.base")
                || r.name().equals("org.jspecify") && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .as(r.toString()).isTrue());
        for (String pkg : d.packages()) {
            assertThat(Class.forName(pkg + ".package-info").getAnnotation(org.jspecify.annotations.NullMarked.class))
                    .as(pkg).isNotNull();
        }
    }
}
