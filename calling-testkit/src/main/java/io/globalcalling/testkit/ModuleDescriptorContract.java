package io.globalcalling.testkit;

import io.globalcalling.spi.CallingProviderFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a module's {@code module-info} against its code: every factory listed in {@code META-INF/services} is
 * also provided with {@code provides … with} (and no other), no {@code internal} package is exported or opened to
 * everyone, every other package is exported, and every package is JSpecify {@code @NullMarked}. Call it from a
 * test of the module, e.g.
 * {@code ModuleDescriptorContract.check(MyProviderFactory.class)}.
 */
public final class ModuleDescriptorContract {

    private ModuleDescriptorContract() {
    }

    /**
     * @param anyClassOfTheModule a class compiled into the module's output (its code source holds the descriptor)
     * @return the descriptor, for further checks
     */
    public static ModuleDescriptor check(Class<?> anyClassOfTheModule) {
        ModuleReference module = module(anyClassOfTheModule);
        ModuleDescriptor d = module.descriptor();
        String service = CallingProviderFactory.class.getName();
        Set<String> provided = d.provides().stream().filter(p -> p.service().equals(service))
                .flatMap(p -> p.providers().stream()).collect(Collectors.toSet());
        assertThat(provided).as("%s: provides %s with ... (module-info) and META-INF/services", d.name(), service)
                .isEqualTo(servicesFile(module, service));
        Set<String> exported = d.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        for (String pkg : d.packages()) {
            if (isInternal(pkg)) {
                assertThat(exported).as("%s exports its internal package %s", d.name(), pkg).doesNotContain(pkg);
            } else {
                assertThat(exported).as("%s does not export its API package %s", d.name(), pkg).contains(pkg);
            }
        }
        assertThat(d.opens().stream().filter(o -> !o.isQualified()).map(ModuleDescriptor.Opens::source))
                .as("%s opens a package to every module", d.name()).isEmpty();
        for (String pkg : d.packages()) {
            assertThat(isNullMarked(pkg, anyClassOfTheModule.getClassLoader()))
                    .as("%s: package-info of %s is @NullMarked", d.name(), pkg).isTrue();
        }
        return d;
    }

    /** Whether {@code pkg}'s package-info carries JSpecify's {@code @NullMarked} (read by name: it is optional). */
    public static boolean isNullMarked(String pkg, ClassLoader loader) {
        try {
            return Arrays.stream(Class.forName(pkg + ".package-info", false, loader).getAnnotations())
                    .anyMatch(a -> a.annotationType().getName().equals("org.jspecify.annotations.NullMarked"));
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static boolean isInternal(String pkg) {
        return Arrays.asList(pkg.split("\\.")).contains("internal");
    }

    private static ModuleReference module(Class<?> type) {
        try {
            Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<ModuleReference> found = List.copyOf(ModuleFinder.of(location).findAll());
            assertThat(found).as("module-info of %s in %s", type.getName(), location).hasSize(1);
            assertThat(found.get(0).descriptor().isAutomatic()).as("%s has no module-info", location).isFalse();
            return found.get(0);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> servicesFile(ModuleReference module, String service) {
        try (var reader = module.open(); InputStream in = reader.open("META-INF/services/" + service).orElse(null)) {
            if (in == null) return Set.of();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(l -> l.replaceAll("#.*", "").strip())
                    .filter(l -> !l.isEmpty()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
