package dev.levain.ingest.support;

import dev.levain.devstack.simulator.crm.CrmSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs the simulated CRM (real HTTP, in the test JVM) for the whole test run, points the CRM connector at
 * it, and hands it to fields marked {@link InjectCrmSimulator} so tests can change contacts and inject faults.
 */
public class CrmSimulatorResource implements QuarkusTestResourceLifecycleManager {

    /** The CRM API token of the %test profile ({@code levain.ingest.crm.api-token}). */
    public static final String API_TOKEN = "test-crm-token";
    /** The CRM webhook secret of the %test profile ({@code levain.ingest.crm.webhook.signing-secrets}). */
    public static final String WEBHOOK_SECRET = "test-crm-secret";

    private CrmSimulator simulator;

    @Override
    public Map<String, String> start() {
        simulator = CrmSimulator.start(0, API_TOKEN);
        return Map.of("levain.ingest.crm.api-base-url", simulator.baseUrl().toString());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(simulator,
                new TestInjector.AnnotatedAndMatchesType(InjectCrmSimulator.class, CrmSimulator.class));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
