package dev.levain.alert.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.levain.alert.service.FieldError;
import dev.levain.alert.service.InvalidInputException;
import dev.levain.alert.service.NotAuthenticatedException;
import dev.levain.alert.service.NotFoundException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps admin API failures to problem+json responses naming the field. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return new Problem("https://levain.dev/problems/invalid-input", "Invalid input", 400, e.getMessage(),
                e.errors()).toResponse();
    }

    /** A field of the wrong type (Quarkus has a built-in mapper for these; ours answers problem+json). */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    /** A JSON body that does not parse, or a field of the wrong type: named by its JSON path. */
    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? mapping.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName()
                        : "[" + ref.getIndex() + "]").collect(Collectors.joining("."))
                : "body";
        String why = e instanceof JsonMappingException ? "has the wrong type or format" : "is not valid JSON";
        return new Problem("https://levain.dev/problems/invalid-input", "Invalid input", 400, field + " " + why,
                List.of(new FieldError(field, why))).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return new Problem("https://levain.dev/problems/not-found", "Not found", 404, e.getMessage(), null)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response notAuthenticated(NotAuthenticatedException e) {
        Response problem = new Problem("https://levain.dev/problems/not-authenticated", "Not authenticated", 401,
                e.getMessage(), null).toResponse();
        return Response.fromResponse(problem).header("WWW-Authenticate", "Bearer").build();
    }
}
