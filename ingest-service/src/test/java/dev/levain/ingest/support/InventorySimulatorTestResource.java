package dev.levain.ingest.support;

import dev.levain.devstack.simulator.inventory.InventorySimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Starts PanPan's simulated inventory API in the test JVM, points ingest at it, and hands it to test
 * fields annotated {@link Simulator} so tests can change stock and inject faults.
 */
public class InventorySimulatorTestResource implements QuarkusTestResourceLifecycleManager {

    /** The %test profile's {@code levain.ingest.inventory.api-token}. */
    public static final String API_TOKEN = "test-inventory-token";
    /** The %test profile's {@code levain.ingest.inventory.webhook.signing-secrets}. */
    public static final String WEBHOOK_SECRET = "test-inventory-secret";

    /** Marks the {@link InventorySimulator} field to fill. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Simulator {
    }

    private InventorySimulator simulator;

    @Override
    public Map<String, String> start() {
        simulator = InventorySimulator.start(new InventorySimulator.Options(0, API_TOKEN, null, WEBHOOK_SECRET));
        return Map.of("levain.ingest.inventory.api-base-url", simulator.baseUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(simulator,
                new TestInjector.AnnotatedAndMatchesType(Simulator.class, InventorySimulator.class));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
