package dev.levain.devstack.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the module's shared devstack (real PostgreSQL and Kafka),
 * started on first use and kept for the whole test JVM, whatever the test profile.
 */
public class DevStackTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return SharedDevStack.config();
    }

    @Override
    public void stop() {
        // The stack outlives each Quarkus application; SharedDevStack stops it when the JVM exits.
    }
}
