package dev.levain.api.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is asking, read from the verified bearer token: an admin sees everything; a viewer never sees
 * costs and, when the token has a {@code stores} claim, only those stores.
 */
@RequestScoped
public class Caller {

    /** The claim listing the store codes a viewer is limited to. */
    public static final String STORES_CLAIM = "stores";

    private final JsonWebToken token;

    public Caller(JsonWebToken token) {
        this.token = token;
    }

    /**
     * api-service itself, for a job no request started (the sales report): an admin of every store, who sees
     * costs, named {@code name}.
     */
    public static Caller service(String name) {
        return new Caller(new ServiceToken(name));
    }

    public boolean isAdmin() {
        return token.getGroups() != null && token.getGroups().contains(Roles.ADMIN);
    }

    /** Costs, COGS and margins are for admins only. */
    public boolean seesCosts() {
        return isAdmin();
    }

    /** The store codes this caller is limited to; empty when it may see every store. */
    public Optional<Set<String>> storeLimit() {
        if (isAdmin() || !token.containsClaim(STORES_CLAIM)) {
            return Optional.empty();
        }
        Object claim = token.getClaim(STORES_CLAIM);
        Set<String> codes = new LinkedHashSet<>();
        if (claim instanceof JsonArray array) {
            array.getValuesAs(JsonString.class).forEach(code -> codes.add(code.getString().toUpperCase(Locale.ROOT)));
        } else if (claim instanceof Iterable<?> values) {
            values.forEach(code -> codes.add(String.valueOf(code).toUpperCase(Locale.ROOT)));
        } else if (claim != null) {
            codes.add(String.valueOf(claim).toUpperCase(Locale.ROOT));
        }
        return Optional.of(codes);
    }

    public String name() {
        return token.getName();
    }

    /** The claims of {@link #service}: its name and the admin group, nothing else. */
    private record ServiceToken(String name) implements JsonWebToken {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Set<String> getClaimNames() {
            return Set.of(Claims.upn.name(), Claims.groups.name());
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String claimName) {
            if (Claims.groups.name().equals(claimName)) {
                return (T) Set.of(Roles.ADMIN);
            }
            return Claims.upn.name().equals(claimName) ? (T) name : null;
        }
    }
}
