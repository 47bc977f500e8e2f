package dev.levain.normalize.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.repository.LineageRepository;
import dev.levain.normalize.repository.LineageRepository.Origin;
import dev.levain.normalize.repository.RawEventRepository.Filter;
import dev.levain.normalize.repository.StoreRepository.StoreRecord;
import dev.levain.normalize.service.ReplayService;
import dev.levain.normalize.service.StoreEditor;
import dev.levain.normalize.service.ReplayService.Outcome;
import io.agroal.api.AgroalDataSource;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The normalizer's admin API, behind a bearer admin token: replay (landed raw events, rejected
 * events), lineage — "where did this number come from" — and stores' master data.
 */
@Path("/api/v1/normalize")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private static final Set<String> ENTITIES = Set.of("sale", "refund", "customer", "product");

    /** A replay request; every field optional. {@code from}/{@code to} bound when ingest received the events. */
    public record ReplayRequest(String source, String type, String from, String to,
                                @JsonProperty("reason_contains") String reasonContains) {
    }

    /** A store as the admin API shows it; {@code has_sales} says its zone and currency are fixed. */
    public record StoreView(String code, String name, String timezone, String currency,
                            @JsonProperty("opening_hours") JsonNode openingHours, List<String> aliases,
                            @JsonProperty("edited_at") Instant editedAt, @JsonProperty("has_sales") boolean hasSales) {
    }

    /** A store's master data as an admin sends it. */
    public record StoreBody(String name, String timezone, String currency,
                            @JsonProperty("opening_hours") JsonNode openingHours, List<String> aliases) {
    }

    private final ReplayService replays;
    private final LineageRepository lineage;
    private final StoreEditor stores;
    private final ObjectMapper json;
    private final AgroalDataSource dataSource;
    private final NormalizeConfig config;

    public AdminResource(ReplayService replays, LineageRepository lineage, StoreEditor stores, ObjectMapper json,
                         AgroalDataSource dataSource, NormalizeConfig config) {
        this.stores = stores;
        this.json = json;
        this.replays = replays;
        this.lineage = lineage;
        this.dataSource = dataSource;
        this.config = config;
    }

    @POST
    @Path("/replay")
    public Outcome replay(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, ReplayRequest request)
            throws SQLException {
        authenticate(authorization);
        ReplayRequest body = request == null ? new ReplayRequest(null, null, null, null, null) : request;
        Instant from = instant(body.from(), "from");
        Instant to = instant(body.to(), "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw problem(400, "from must be before to");
        }
        return replays.replayLanded(new Filter(body.source(), body.type(), from, to));
    }

    @POST
    @Path("/replay-rejected")
    public Outcome replayRejected(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, ReplayRequest request)
            throws SQLException {
        authenticate(authorization);
        ReplayRequest body = request == null ? new ReplayRequest(null, null, null, null, null) : request;
        return replays.replayRejected(body.type(), body.reasonContains());
    }

    @GET
    @Path("/lineage/{entity}/{id}")
    public List<Origin> lineage(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                @PathParam("entity") String entity, @PathParam("id") long id) throws SQLException {
        authenticate(authorization);
        if (!ENTITIES.contains(entity)) {
            throw problem(400, "entity must be one of " + ENTITIES);
        }
        try (Connection connection = dataSource.getConnection()) {
            return lineage.origins(connection, entity, List.of(id));
        }
    }

    /** The raw events behind one store's daily net sales: every sale and refund counted that day. */
    @GET
    @Path("/lineage/daily-sales")
    public List<Origin> dailySales(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                   @QueryParam("store") String store, @QueryParam("date") String date) throws SQLException {
        authenticate(authorization);
        if (store == null || store.isBlank()) {
            throw problem(400, "store is required");
        }
        LocalDate day;
        try {
            day = LocalDate.parse(date == null ? "" : date);
        } catch (DateTimeParseException e) {
            throw problem(400, "date must be a date such as 2026-11-27, not " + date);
        }
        try (Connection connection = dataSource.getConnection()) {
            return lineage.dailySales(connection, store.trim().toUpperCase(java.util.Locale.ROOT), day);
        }
    }

    /** Every store's master data (DESIGN.md §3: edited here, configuration only seeds them). */
    @GET
    @Path("/stores")
    public List<StoreView> stores(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) throws SQLException {
        authenticate(authorization);
        List<StoreView> views = new java.util.ArrayList<>();
        for (StoreRecord store : stores.list()) {
            views.add(view(store));
        }
        return views;
    }

    @GET
    @Path("/stores/{code}")
    public StoreView store(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("code") String code)
            throws SQLException {
        authenticate(authorization);
        return view(stores.find(code).orElseThrow(() -> problem(404, "No store " + code)));
    }

    /** Creates the store (201) or replaces its master data (200); every replica maps with it from its next batch. */
    @PUT
    @Path("/stores/{code}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response saveStore(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                              @PathParam("code") String code, StoreBody body) throws SQLException {
        authenticate(authorization);
        try {
            StoreEditor.Saved saved = stores.save(code, body == null ? null
                    : new StoreEditor.StoreInput(body.name(), body.timezone(), body.currency(), body.openingHours(),
                            body.aliases()));
            return Response.status(saved.created() ? 201 : 200).entity(view(saved.store())).build();
        } catch (StoreEditor.RefusedException e) {
            Map<String, Object> problem = new java.util.LinkedHashMap<>();
            problem.put("status", e.status());
            problem.put("title", e.getMessage());
            if (!e.errors().isEmpty()) {
                problem.put("errors", e.errors());
            }
            throw new WebApplicationException(Response.status(e.status()).type("application/problem+json")
                    .entity(problem).build());
        }
    }

    private StoreView view(StoreRecord store) {
        try {
            return new StoreView(store.code(), store.name(), store.timezone(), store.currency(),
                    store.openingHours() == null ? null : json.readTree(store.openingHours()), store.aliases(),
                    store.editedAt(), store.hasSales());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable opening hours of store " + store.code(), e);
        }
    }

    private void authenticate(String authorization) {
        List<String> tokens = config.adminTokens().orElse(List.of()).stream().filter(t -> !t.isBlank()).toList();
        if (authorization == null || !authorization.startsWith("Bearer ") || tokens.isEmpty()) {
            throw problem(401, "An Authorization: Bearer <admin token> header is required");
        }
        byte[] given = authorization.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String token : tokens) {
            match |= MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given);
        }
        if (!match) {
            throw problem(401, "The admin token is not valid");
        }
    }

    private static Instant instant(String value, String field) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw problem(400, field + " must be an instant such as 2026-11-27T08:00:00Z, not " + value);
        }
    }

    private static WebApplicationException problem(int status, String title) {
        return new WebApplicationException(Response.status(status).type("application/problem+json")
                .entity(Map.of("status", status, "title", title)).build());
    }
}
