package dev.levain.ingest.support;

import dev.levain.devstack.simulator.square.SquareSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.Map;

/**
 * Starts the Square simulator (the POS vendor's API, over real HTTP) once for the module's tests and points
 * ingest-service's Square connector at it; tests get it through {@link InjectSquareSimulator}.
 */
public class SquareSimulatorTestResource implements QuarkusTestResourceLifecycleManager {

    private SquareSimulator simulator;

    @Override
    public Map<String, String> start() {
        simulator = SquareSimulator.start(SquareSimulator.Options
                .of(SquareWebhooks.ACCESS_TOKEN, SquareWebhooks.SIGNATURE_KEY, SquareWebhooks.NOTIFICATION_URL)
                .withRetryBackoff(Duration.ofMillis(100))
                // Small pages, so that the reconciliation has to follow cursors.
                .withPageSize(3));
        return Map.of("levain.ingest.pos.square.api-base-url", simulator.baseUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(simulator,
                new TestInjector.AnnotatedAndMatchesType(InjectSquareSimulator.class, SquareSimulator.class));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
