package dev.levain.api.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Makes api-service under test trust the tokens of {@link TestTokens}. */
public class ApiTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
    }

    @Override
    public void stop() {
        // Nothing runs: the keys are files under target/.
    }
}
