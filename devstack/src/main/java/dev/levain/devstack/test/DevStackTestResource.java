package dev.levain.devstack.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the module's shared devstack (real PostgreSQL and Kafka),
 * started on first use and kept for the whole test JVM, whatever the test profile.
 */
public class DevStackTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(SharedDevStack.config());
        if (!hasDatasource()) {
            // A service without a database would warn about settings it does not know.
            config.keySet().removeIf(key -> key.startsWith("quarkus.datasource."));
        }
        return config;
    }

    private static boolean hasDatasource() {
        try {
            Class.forName("io.agroal.api.AgroalDataSource", false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Override
    public void stop() {
        // The stack outlives each Quarkus application; SharedDevStack stops it when the JVM exits.
    }
}
