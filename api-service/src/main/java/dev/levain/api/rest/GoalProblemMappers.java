package dev.levain.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.levain.api.service.GoalNotFoundException;
import dev.levain.api.service.InvalidGoalException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps a wrong goal, an unreadable JSON body and an unknown goal to problem+json responses. */
public class GoalProblemMappers {

    private static final String PROBLEMS = "https://levain.dev/problems/";

    @ServerExceptionMapper
    public Response invalidGoal(InvalidGoalException e) {
        return new Problem(PROBLEMS + "invalid-goal", "Invalid goal", 400, e.field() + " " + e.getMessage(), e.field())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response goalNotFound(GoalNotFoundException e) {
        return new Problem(PROBLEMS + "unknown-goal", "Unknown goal", 404, e.getMessage(), "id").toResponse();
    }

    /** A field of the wrong type; mapped here rather than by Quarkus' own mapper, which answers plain JSON. */
    @ServerExceptionMapper
    public Response mismatchedBody(MismatchedInputException e) {
        return unreadableBody(e);
    }

    /** Quarkus wraps a body that is not JSON at all ("{") in a plain 400; it gets problem+json too. */
    @ServerExceptionMapper
    public Response rejectedRequest(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException cause) {
            return unreadableBody(cause);
        }
        return e.getResponse();
    }

    /** A body that is not JSON, or a field of the wrong type: named by its JSON path, never with a stack trace. */
    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? mapping.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName()
                        : Integer.toString(ref.getIndex())).collect(Collectors.joining("."))
                : "body";
        return new Problem(PROBLEMS + "unreadable-body", "Unreadable body", 400,
                field + " cannot be read: " + e.getOriginalMessage(), field).toResponse();
    }
}
