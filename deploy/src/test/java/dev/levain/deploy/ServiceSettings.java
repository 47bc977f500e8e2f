package dev.levain.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What a service module expects from its environment: its application.properties and README settings. */
record ServiceSettings(String module, Properties properties, Set<String> documentedSettings) {

    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern README_SETTING = Pattern.compile("^\\| `([a-z0-9.-]+)` \\|", Pattern.MULTILINE);

    static ServiceSettings of(String module) {
        Path dir = Manifests.root().resolve(module);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
            Path readme = dir.resolve("README.md");
            Set<String> documented = Files.exists(readme)
                    ? README_SETTING.matcher(Files.readString(readme)).results().map(m -> m.group(1)).collect(Collectors.toSet())
                    : Set.of();
            return new ServiceSettings(module, properties, documented);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The production value: {@code %prod.key} if set, else the unprofiled one. */
    String prod(String key) {
        return properties.getProperty("%prod." + key, properties.getProperty(key));
    }

    int httpPort() {
        return Integer.parseInt(prod("quarkus.http.port"));
    }

    boolean usesDatabase() {
        return prod("quarkus.datasource.db-kind") != null;
    }

    boolean migrates() {
        return "true".equals(prod("quarkus.flyway.migrate-at-start"));
    }

    /** Through a Kafka channel, or a Kafka client of its own (api-service reads consumer-group lag). */
    boolean usesKafka() {
        return properties.stringPropertyNames().stream()
                .anyMatch(key -> key.startsWith("mp.messaging.") && key.endsWith(".connector")
                        && "smallrye-kafka".equals(properties.getProperty(key))
                        || withoutProfile(key).equals("kafka.bootstrap.servers"));
    }

    /** Every setting this module's own code reads (levain.*), from application.properties and the README table. */
    Set<String> levainSettings() {
        Set<String> keys = properties.stringPropertyNames().stream()
                .map(ServiceSettings::withoutProfile)
                .filter(key -> key.startsWith("levain."))
                .collect(Collectors.toSet());
        keys.addAll(documentedSettings);
        return keys;
    }

    /**
     * The environment variables the service reads: its levain.* settings, the MicroProfile JWT settings
     * its application.properties sets in some profile, and variables its values name ({@code ${NAME:default}}).
     */
    Set<String> environmentVariables() {
        Set<String> variables = levainSettings().stream().map(ServiceSettings::environmentName).collect(Collectors.toSet());
        for (String key : properties.stringPropertyNames()) {
            if (withoutProfile(key).startsWith("mp.jwt.")) {
                variables.add(environmentName(withoutProfile(key)));
            }
            Matcher reference = VARIABLE_REFERENCE.matcher(properties.getProperty(key));
            while (reference.find()) {
                variables.add(reference.group(1));
            }
        }
        return variables;
    }

    private static String withoutProfile(String key) {
        return key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
    }

    /** The environment variable MicroProfile Config maps to {@code key}. */
    static String environmentName(String key) {
        Matcher nonAlphanumeric = Pattern.compile("[^A-Za-z0-9]").matcher(key);
        return nonAlphanumeric.replaceAll("_").toUpperCase(Locale.ROOT);
    }
}
