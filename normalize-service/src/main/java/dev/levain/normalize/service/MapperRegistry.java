package dev.levain.normalize.service;

import dev.levain.normalize.mapping.CanonicalRecord;
import dev.levain.normalize.mapping.RawEventMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Finds the mapper of each raw event's type. */
@ApplicationScoped
public class MapperRegistry {

    private final Map<String, RawEventMapper> byType;

    public MapperRegistry(Instance<RawEventMapper> mappers) {
        Map<String, RawEventMapper> types = new HashMap<>();
        for (RawEventMapper mapper : mappers) {
            mapper.types().forEach(type -> {
                RawEventMapper other = types.put(type, mapper);
                if (other != null) {
                    throw new IllegalStateException("Two mappers for " + type + ": " + other + " and " + mapper);
                }
            });
        }
        this.byType = Map.copyOf(types);
    }

    /**
     * The canonical records of {@code raw}.
     *
     * @throws RejectedEventException when its type has no mapper or its content cannot be mapped
     */
    public List<CanonicalRecord> map(RawEnvelope raw) {
        RawEventMapper mapper = byType.get(raw.type());
        if (mapper == null) {
            throw new RejectedEventException("No mapping for events of type " + raw.type()
                    + "; replay it once the normalizer maps that type");
        }
        try {
            return mapper.map(raw);
        } catch (RejectedEventException e) {
            throw e;
        } catch (RuntimeException e) {
            // A mapper bug on odd input must reject that event, not stop the partition.
            throw new RejectedEventException("Cannot map " + raw.type() + ": " + Failures.rootMessage(e));
        }
    }
}
